// Rtnl: links.
#include <linux/netlink.h>

#include "adapters/netlink/rtnl.h"
#include "common/strings.h"

namespace egret::netlink {
namespace {

std::string KindWord(const LinkInfo& info) {
  return info.kind_name.empty() ? std::string("a device without a kind") : info.kind_name;
}

std::string NameOf(const std::map<int, std::string>& names, int index) {
  auto it = names.find(index);
  return it == names.end() ? std::string() : it->second;
}

model::Link Resolve(const LinkInfo& info, const std::map<int, std::string>& names) {
  model::Link l = info.link;
  if (info.master_index) l.master = NameOf(names, info.master_index);
  if (info.vxlan_underlay_index) l.vxlan_underlay = NameOf(names, info.vxlan_underlay_index);
  return l;
}

// What keeps an existing VXLAN device from being the one asked for ("" = nothing).
std::string VxlanDifference(const LinkInfo& have, const model::Link& want, int want_underlay,
                            const VxlanOptions& options) {
  const model::Link& h = have.link;
  std::string diff;
  auto add = [&](const std::string& what, const std::string& is, const std::string& wanted) {
    diff += (diff.empty() ? "" : ", ") + what + " " + is + " (want " + wanted + ")";
  };
  auto ip = [](const std::optional<model::IpAddress>& a) {
    return a ? a->ToString() : std::string("none");
  };
  if (h.vxlan_id != want.vxlan_id) {
    add("id", std::to_string(h.vxlan_id), std::to_string(want.vxlan_id));
  }
  if (h.vxlan_port != want.vxlan_port) {
    add("port", std::to_string(h.vxlan_port), std::to_string(want.vxlan_port));
  }
  if (h.vxlan_local != want.vxlan_local) add("local", ip(h.vxlan_local), ip(want.vxlan_local));
  if (have.vxlan_underlay_index != want_underlay) {
    add("underlay index", std::to_string(have.vxlan_underlay_index), std::to_string(want_underlay));
  }
  if (h.vxlan_learning != want.vxlan_learning) {
    add("learning", h.vxlan_learning ? "on" : "off", want.vxlan_learning ? "on" : "off");
  }
  if (have.vxlan.udp_csum != options.udp_csum) {
    add("udp checksum", have.vxlan.udp_csum ? "on" : "off", options.udp_csum ? "on" : "off");
  }
  return diff;
}

model::Link NewLink(const std::string& name, model::Link::Kind kind, int mtu) {
  model::Link l;
  l.name = name;
  l.kind = kind;
  l.mtu = mtu;
  return l;
}

LinkChange ChangeOf(int index) {
  LinkChange c;
  c.index = index;
  return c;
}

}  // namespace

StatusOr<Rtnl> Rtnl::Open(const netns::NetNs* ns) {
  ASSIGN_OR_RETURN(NetlinkSocket socket, NetlinkSocket::Open(ns));
  return Rtnl(std::move(socket));
}

StatusOr<std::map<int, std::string>> Rtnl::LinkNames() {
  ASSIGN_OR_RETURN(auto messages, socket_.Dump(EncodeDumpLinks(), "list links"));
  std::map<int, std::string> names;
  for (const Message& m : messages) {
    auto info = DecodeLink(m);
    if (!info.ok()) return info.status().WithContext("list links");
    names[info->link.index] = info->link.name;
  }
  return names;
}

StatusOr<std::vector<model::Link>> Rtnl::ListLinks() {
  ASSIGN_OR_RETURN(auto messages, socket_.Dump(EncodeDumpLinks(), "list links"));
  std::vector<LinkInfo> infos;
  std::map<int, std::string> names;
  for (const Message& m : messages) {
    auto info = DecodeLink(m);
    if (!info.ok()) return info.status().WithContext("list links");
    names[info->link.index] = info->link.name;
    infos.push_back(std::move(info).value());
  }
  std::vector<model::Link> links;
  links.reserve(infos.size());
  for (const LinkInfo& info : infos) links.push_back(Resolve(info, names));
  return links;
}

StatusOr<LinkInfo> Rtnl::QueryLink(const std::string& name) {
  RETURN_IF_ERROR(ValidateLinkName(name));
  auto replies = socket_.Query(EncodeGetLink(name), "get link " + Quote(name));
  if (!replies.ok()) {
    if (replies.status().code() == Code::kNotFound) {
      return NotFoundError("link " + Quote(name) + " not found");
    }
    return replies.status();
  }
  if (replies->size() != 1) {
    return InternalError("get link " + Quote(name) + ": " + std::to_string(replies->size()) +
                         " replies, want 1");
  }
  auto info = DecodeLink(replies->front());
  if (!info.ok()) return info.status().WithContext("get link " + Quote(name));
  return info;
}

StatusOr<int> Rtnl::IndexOrZero(const std::string& name, std::string_view context) {
  if (name.empty()) return 0;
  return IndexOf(name, context);
}

StatusOr<model::Link> Rtnl::ToModel(const LinkInfo& info) {
  if (!info.master_index && !info.vxlan_underlay_index) return info.link;
  ASSIGN_OR_RETURN(auto names, LinkNames());
  return Resolve(info, names);
}

StatusOr<model::Link> Rtnl::GetLink(const std::string& name) {
  ASSIGN_OR_RETURN(LinkInfo info, QueryLink(name));
  return ToModel(info);
}

StatusOr<int> Rtnl::IndexOf(const std::string& name, std::string_view context) {
  auto info = QueryLink(name);
  if (!info.ok()) return info.status().WithContext(context);
  return info->link.index;
}

Status Rtnl::ChangeLink(const LinkChange& change, std::string_view context) {
  return socket_.Execute(EncodeChangeLink(change), context);
}

Status Rtnl::CreateVeth(const std::string& name, const std::string& peer_name, int peer_ns_fd,
                        int mtu) {
  std::string context = "create veth " + name + " peer " + peer_name;
  RETURN_IF_ERROR(ValidateLinkName(name).WithContext(context));
  RETURN_IF_ERROR(ValidateLinkName(peer_name).WithContext(context));
  LinkCreate spec;
  spec.link = NewLink(name, model::Link::Kind::kVeth, mtu);
  spec.veth_peer = peer_name;
  spec.veth_peer_ns_fd = peer_ns_fd;
  return socket_.Execute(EncodeCreateLink(spec, NLM_F_CREATE | NLM_F_EXCL), context);
}

Status Rtnl::CreateBridge(const std::string& name, int mtu) {
  std::string context = "create bridge " + name;
  RETURN_IF_ERROR(ValidateLinkName(name).WithContext(context));
  auto existing = QueryLink(name);
  if (existing.ok()) {
    if (existing->link.kind != model::Link::Kind::kBridge) {
      return AlreadyExistsError(context + ": a link of that name exists and is " +
                                KindWord(*existing) + ", not a bridge");
    }
    if (mtu == 0 || existing->link.mtu == mtu) return Status::Ok();
    LinkChange change = ChangeOf(existing->link.index);
    change.mtu = mtu;
    return ChangeLink(change, context);
  }
  if (existing.status().code() != Code::kNotFound) return existing.status().WithContext(context);
  LinkCreate spec;
  spec.link = NewLink(name, model::Link::Kind::kBridge, mtu);
  return socket_.Execute(EncodeCreateLink(spec, NLM_F_CREATE | NLM_F_EXCL), context);
}

Status Rtnl::CreateVxlan(const model::Link& spec, VxlanOptions options) {
  std::string context = "create vxlan " + spec.name + " id " + std::to_string(spec.vxlan_id);
  RETURN_IF_ERROR(ValidateLinkName(spec.name).WithContext(context));
  LinkCreate create;
  create.link = spec;
  create.link.kind = model::Link::Kind::kVxlan;
  create.vxlan = options;
  ASSIGN_OR_RETURN(create.vxlan_underlay_index, IndexOrZero(spec.vxlan_underlay, context));
  ASSIGN_OR_RETURN(create.master_index, IndexOrZero(spec.master, context));
  auto existing = QueryLink(spec.name);
  if (existing.status().code() == Code::kNotFound) {
    return socket_.Execute(EncodeCreateLink(create, NLM_F_CREATE | NLM_F_EXCL), context);
  }
  if (!existing.ok()) return existing.status().WithContext(context);
  if (existing->link.kind != model::Link::Kind::kVxlan) {
    return AlreadyExistsError(context + ": a link of that name exists and is " +
                              KindWord(*existing) + ", not a vxlan device");
  }
  std::string diff = VxlanDifference(*existing, spec, create.vxlan_underlay_index, options);
  if (!diff.empty()) {
    return AlreadyExistsError(context + ": a vxlan device of that name exists with " + diff +
                              "; these cannot change in place: delete it first");
  }
  LinkChange change = ChangeOf(existing->link.index);
  change.up = spec.up;
  if (create.master_index != existing->master_index) change.master_index = create.master_index;
  if (spec.mtu > 0 && spec.mtu != existing->link.mtu) change.mtu = spec.mtu;
  if (spec.mac && spec.mac != existing->link.mac) change.mac = spec.mac;
  return ChangeLink(change, context);
}

Status Rtnl::SetLinkUp(const std::string& name, bool up) {
  std::string context = "set link " + name + (up ? " up" : " down");
  ASSIGN_OR_RETURN(int index, IndexOf(name, context));
  LinkChange change = ChangeOf(index);
  change.up = up;
  return ChangeLink(change, context);
}

Status Rtnl::SetMaster(const std::string& name, const std::string& master) {
  std::string context =
      master.empty() ? "set link " + name + " nomaster" : "set link " + name + " master " + master;
  ASSIGN_OR_RETURN(int index, IndexOf(name, context));
  LinkChange change = ChangeOf(index);
  ASSIGN_OR_RETURN(change.master_index, IndexOrZero(master, context));
  return ChangeLink(change, context);
}

Status Rtnl::SetMtu(const std::string& name, int mtu) {
  std::string context = "set link " + name + " mtu " + std::to_string(mtu);
  if (mtu <= 0) return InvalidError(context + ": the MTU must be positive");
  ASSIGN_OR_RETURN(int index, IndexOf(name, context));
  LinkChange change = ChangeOf(index);
  change.mtu = mtu;
  return ChangeLink(change, context);
}

Status Rtnl::SetMac(const std::string& name, const model::MacAddress& mac) {
  std::string context = "set link " + name + " address " + model::MacToString(mac);
  ASSIGN_OR_RETURN(int index, IndexOf(name, context));
  LinkChange change = ChangeOf(index);
  change.mac = mac;
  return ChangeLink(change, context);
}

Status Rtnl::MoveLink(const std::string& name, int ns_fd, const std::string& new_name) {
  std::string context = "move link " + name + " to another namespace";
  if (!new_name.empty()) context += " as " + new_name;
  if (ns_fd < 0) return InvalidError(context + ": no namespace file descriptor");
  if (!new_name.empty()) RETURN_IF_ERROR(ValidateLinkName(new_name).WithContext(context));
  ASSIGN_OR_RETURN(int index, IndexOf(name, context));
  LinkChange change = ChangeOf(index);
  change.ns_fd = ns_fd;
  change.new_name = new_name;
  return ChangeLink(change, context);
}

Status Rtnl::DeleteLink(const std::string& name) {
  std::string context = "delete link " + name;
  RETURN_IF_ERROR(ValidateLinkName(name).WithContext(context));
  Status st = socket_.Execute(EncodeDeleteLink(name), context);
  if (st.code() == Code::kNotFound) return NotFoundError(context + ": link not found");
  return st;
}

}  // namespace egret::netlink
