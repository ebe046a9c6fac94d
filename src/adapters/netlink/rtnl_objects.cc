// Rtnl: addresses, routes, rules, neighbours and FDB entries.
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "adapters/netlink/describe.h"
#include "adapters/netlink/rtnl.h"
#include "common/strings.h"

namespace egret::netlink {
namespace {

std::string NameOf(const std::map<int, std::string>& names, int index) {
  auto it = names.find(index);
  return it == names.end() ? std::string() : it->second;
}

// The index of `device` in `names` (0 for ""), or NotFound.
StatusOr<int> FindIndex(const std::map<int, std::string>& names, const std::string& device,
                        std::string_view context) {
  if (device.empty()) return 0;
  for (const auto& [index, name] : names) {
    if (name == device) return index;
  }
  return NotFoundError(std::string(context) + ": link " + Quote(device) + " not found");
}

Status CheckPrefix(const model::InterfaceAddress& a, std::string_view context) {
  if (a.prefix_len < 0 || a.prefix_len > a.ip.bits()) {
    return InvalidError(std::string(context) + ": prefix length " + std::to_string(a.prefix_len) +
                        " is outside 0.." + std::to_string(a.ip.bits()));
  }
  return Status::Ok();
}

// A delete of something absent says so plainly, whatever errno the kernel chose.
Status NotFoundIsPlain(Status st, std::string_view context, std::string_view what) {
  if (st.code() != Code::kNotFound) return st;
  return NotFoundError(std::string(context) + ": no such " + std::string(what));
}

}  // namespace

StatusOr<std::vector<DeviceAddress>> Rtnl::ListAddresses(const std::string& device) {
  ASSIGN_OR_RETURN(auto names, LinkNames());
  std::string context = device.empty() ? "list addresses" : "list addresses of " + device;
  ASSIGN_OR_RETURN(int only, FindIndex(names, device, context));
  std::vector<DeviceAddress> out;
  for (model::Family f : {model::Family::kV4, model::Family::kV6}) {
    ASSIGN_OR_RETURN(auto messages, socket_.Dump(EncodeDumpAddresses(f), context));
    for (const Message& m : messages) {
      auto info = DecodeAddress(m);
      if (!info.ok()) return info.status().WithContext(context);
      if (only && info->index != only) continue;
      out.push_back(DeviceAddress{.device = NameOf(names, info->index), .address = info->address});
    }
  }
  return out;
}

Status Rtnl::AddAddress(const std::string& device, const model::InterfaceAddress& address,
                        bool deprecated) {
  std::string context = "add " + DescribeAddress(device, address);
  RETURN_IF_ERROR(CheckPrefix(address, context));
  ASSIGN_OR_RETURN(int index, IndexOf(device, context));
  return socket_.Execute(EncodeAddAddress(index, address, deprecated), context);
}

Status Rtnl::DeleteAddress(const std::string& device, const model::InterfaceAddress& address) {
  std::string context = "delete " + DescribeAddress(device, address);
  RETURN_IF_ERROR(CheckPrefix(address, context));
  ASSIGN_OR_RETURN(int index, IndexOf(device, context));
  return NotFoundIsPlain(socket_.Execute(EncodeDeleteAddress(index, address), context), context,
                         "address");
}

StatusOr<std::vector<model::Route>> Rtnl::ListRoutes(model::Family family, RouteFilter filter) {
  std::string context = std::string("list ") + std::string(model::FamilyName(family)) + " routes";
  ASSIGN_OR_RETURN(auto names, LinkNames());
  ASSIGN_OR_RETURN(auto messages, socket_.Dump(EncodeDumpRoutes(family), context));
  std::vector<model::Route> out;
  for (const Message& m : messages) {
    auto info = DecodeRoute(m);
    if (!info.ok()) return info.status().WithContext(context);
    if (info->type != RTN_UNICAST || (info->flags & RTM_F_CLONED)) continue;
    if (filter.table && info->route.table != *filter.table) continue;
    if (filter.protocol && info->route.protocol != *filter.protocol) continue;
    info->route.device = NameOf(names, info->oif_index);
    out.push_back(std::move(info->route));
  }
  return out;
}

Status Rtnl::ReplaceRoute(const model::Route& route) {
  std::string context = "add " + DescribeRoute(route);
  RETURN_IF_ERROR(ValidateRoute(route));
  // A delete may match by destination alone; a new route needs somewhere to go.
  if (!route.gateway && route.device.empty()) {
    return InvalidError(context + ": a route needs a gateway, a device or both");
  }
  ASSIGN_OR_RETURN(int oif, IndexOrZero(route.device, context));
  return socket_.Execute(EncodeReplaceRoute(route, oif), context);
}

Status Rtnl::DeleteRoute(const model::Route& route) {
  std::string context = "delete " + DescribeRoute(route);
  RETURN_IF_ERROR(ValidateRoute(route));
  ASSIGN_OR_RETURN(int oif, IndexOrZero(route.device, context));
  return NotFoundIsPlain(socket_.Execute(EncodeDeleteRoute(route, oif), context), context, "route");
}

StatusOr<std::vector<model::Rule>> Rtnl::ListRules(model::Family family) {
  std::string context = std::string("list ") + std::string(model::FamilyName(family)) + " rules";
  ASSIGN_OR_RETURN(auto messages, socket_.Dump(EncodeDumpRules(family), context));
  std::vector<model::Rule> out;
  for (const Message& m : messages) {
    auto info = DecodeRule(m);
    if (!info.ok()) return info.status().WithContext(context);
    if (info->action != FR_ACT_TO_TBL) continue;
    out.push_back(info->rule);
  }
  return out;
}

Status Rtnl::AddRule(const model::Rule& rule) {
  std::string context = "add " + DescribeRule(rule);
  RETURN_IF_ERROR(ValidateRule(rule));
  Status st = socket_.Execute(EncodeAddRule(rule), context);
  if (st.code() == Code::kAlreadyExists) return Status::Ok();  // the identical rule is there
  return st;
}

Status Rtnl::DeleteRule(const model::Rule& rule) {
  std::string context = "delete " + DescribeRule(rule);
  RETURN_IF_ERROR(ValidateRule(rule));
  return NotFoundIsPlain(socket_.Execute(EncodeDeleteRule(rule), context), context, "rule");
}

StatusOr<std::vector<model::Neighbor>> Rtnl::ListNeighbors(const std::string& device, bool fdb) {
  std::string context = fdb ? "list fdb entries" : "list neighbors";
  if (!device.empty()) context += " of " + device;
  ASSIGN_OR_RETURN(auto names, LinkNames());
  ASSIGN_OR_RETURN(int only, FindIndex(names, device, context));
  ASSIGN_OR_RETURN(auto messages, socket_.Dump(EncodeDumpNeighbors(fdb), context));
  std::vector<model::Neighbor> out;
  for (const Message& m : messages) {
    auto info = DecodeNeighbor(m);
    if (!info.ok()) return info.status().WithContext(context);
    if (info->neighbor.fdb != fdb || (only && info->index != only)) continue;
    info->neighbor.device = NameOf(names, info->index);
    out.push_back(std::move(info->neighbor));
  }
  return out;
}

Status Rtnl::ReplaceNeighbor(const model::Neighbor& neighbor) {
  std::string context = "replace " + DescribeNeighbor(neighbor);
  RETURN_IF_ERROR(ValidateNeighbor(neighbor));
  ASSIGN_OR_RETURN(int index, IndexOf(neighbor.device, context));
  Status st = socket_.Execute(EncodeReplaceNeighbor(neighbor, index), context);
  // Flooding entries are appended: an existing identical destination is the desired state.
  if (st.code() == Code::kAlreadyExists && neighbor.fdb && IsZeroMac(neighbor.mac)) {
    return Status::Ok();
  }
  return st;
}

Status Rtnl::DeleteNeighbor(const model::Neighbor& neighbor) {
  std::string context = "delete " + DescribeNeighbor(neighbor);
  RETURN_IF_ERROR(ValidateNeighbor(neighbor));
  ASSIGN_OR_RETURN(int index, IndexOf(neighbor.device, context));
  return NotFoundIsPlain(socket_.Execute(EncodeDeleteNeighbor(neighbor, index), context), context,
                         neighbor.fdb ? "fdb entry" : "neighbor");
}

}  // namespace egret::netlink
