#include "agent/pod_network.h"

#include <mutex>
#include <set>

#include "adapters/netlink/rtnl.h"
#include "adapters/netns/netns.h"
#include "agent/ipam_store.h"
#include "agent/pod_bindings.h"
#include "common/log.h"
#include "common/strings.h"
#include "core/netplan/netplan.h"

namespace egret::agent {
namespace {

model::Cidr DefaultRoute(model::Family f) {
  return *model::Cidr::Parse(f == model::Family::kV4 ? "0.0.0.0/0" : "::/0");
}

class PodNetworkImpl : public PodNetwork {
 public:
  PodNetworkImpl(PodNetworkConfig cfg, std::function<std::vector<model::Cidr>()> pod_cidrs,
                 PodHooks hooks, std::unique_ptr<IpamStore> ipam, netlink::Rtnl host)
      : cfg_(std::move(cfg)),
        pod_cidrs_(std::move(pod_cidrs)),
        hooks_(std::move(hooks)),
        ipam_(std::move(ipam)),
        host_(std::move(host)),
        bindings_(cfg_.state_dir + "/pod-bindings.json") {}

  std::vector<core::netpol::LocalPod> LocalPods() const override { return bindings_.All(); }

  StatusOr<cni::CniResult> Add(const cni::CniRequest& req) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(ReadyLocked());
    std::vector<model::Cidr> cidrs = pod_cidrs_();
    ASSIGN_OR_RETURN(std::vector<Allocation> allocs,
                     ipam_->Allocate(req.container_id, req.ifname, req.netns, cidrs));
    // Policy first: the pod's addresses are held or given their programs before the pod has
    // an interface to send from.
    StatusOr<cni::CniResult> result = Protect(req, allocs);
    if (result.ok()) result = Plumb(req, allocs);
    if (!result.ok()) {
      // Leave nothing behind: the runtime will retry ADD or call DEL.
      (void)IgnoreNotFound(host_.DeleteLink(HostVethName(req.container_id, req.ifname)));
      (void)ipam_->Release(req.container_id, req.ifname);
      (void)bindings_.Remove(req.container_id, req.ifname);
      return result.status();
    }
    EGRET_LOG(kInfo, "cni") << "ADD " << req.pod_namespace << "/" << req.pod_name << " ("
                            << req.container_id.substr(0, 12) << ") " << Addresses(allocs);
    return result;
  }

  Status Del(const cni::CniRequest& req) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(IgnoreNotFound(host_.DeleteLink(HostVethName(req.container_id, req.ifname))));
    RETURN_IF_ERROR(ipam_->Release(req.container_id, req.ifname));
    RETURN_IF_ERROR(bindings_.Remove(req.container_id, req.ifname));
    if (hooks_.on_remove) hooks_.on_remove();
    EGRET_LOG(kInfo, "cni") << "DEL " << req.container_id.substr(0, 12) << "/" << req.ifname;
    return Status::Ok();
  }

  Status Check(const cni::CniRequest& req) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(std::vector<Allocation> allocs, ipam_->Find(req.container_id, req.ifname));
    if (allocs.empty()) {
      return NotFoundError("no attachment " + req.container_id + "/" + req.ifname + " on this node");
    }
    std::string host_name = HostVethName(req.container_id, req.ifname);
    auto host = host_.GetLink(host_name);
    if (!host.ok()) return FailedPreconditionError("host interface " + host_name + " is missing");
    if (host->master != cfg_.bridge) {
      return FailedPreconditionError("host interface " + host_name + " is not on " + cfg_.bridge);
    }
    if (!host->up) return FailedPreconditionError("host interface " + host_name + " is down");
    if (req.prev_result) {
      std::set<model::IpAddress> want, have;
      for (const cni::CniIpConfig& ip : req.prev_result->ips) want.insert(ip.address);
      for (const Allocation& a : allocs) have.insert(a.ip);
      if (want != have) return FailedPreconditionError("addresses differ from prevResult");
    }
    return CheckPodSide(req, allocs);
  }

  Status Gc(const cni::CniRequest& req) override {
    std::lock_guard lock(mu_);
    std::set<std::string> keep_links;
    std::set<std::pair<std::string, std::string>> valid;
    for (const cni::CniAttachment& a : req.valid_attachments) {
      valid.insert({a.container_id, a.ifname});
      keep_links.insert(HostVethName(a.container_id, a.ifname));
    }
    ASSIGN_OR_RETURN(std::vector<Allocation> all, ipam_->All());
    std::string failures;
    for (const Allocation& a : all) {
      if (valid.contains({a.container_id, a.ifname})) continue;
      Status st = IgnoreNotFound(host_.DeleteLink(HostVethName(a.container_id, a.ifname)));
      if (st.ok()) st = ipam_->Release(a.container_id, a.ifname);
      if (!st.ok()) failures += (failures.empty() ? "" : "; ") + st.message();
    }
    // Host veths no attachment owns (an ADD interrupted before its IPAM write was undone).
    ASSIGN_OR_RETURN(std::vector<model::Link> links, host_.ListLinks());
    for (const model::Link& l : links) {
      if (l.kind != model::Link::Kind::kVeth || !l.name.starts_with(model::kLinkPrefix) ||
          keep_links.contains(l.name)) {
        continue;
      }
      Status st = IgnoreNotFound(host_.DeleteLink(l.name));
      if (!st.ok()) failures += (failures.empty() ? "" : "; ") + st.message();
    }
    if (Status st = bindings_.Retain(valid); !st.ok()) {
      failures += (failures.empty() ? "" : "; ") + st.message();
    }
    if (hooks_.on_remove) hooks_.on_remove();
    if (!failures.empty()) return InternalError("GC left some things behind: " + failures);
    return Status::Ok();
  }

  Status Ready(const cni::CniRequest&) override {
    std::lock_guard lock(mu_);
    return ReadyLocked();
  }

 private:
  Status ReadyLocked() {
    if (pod_cidrs_().empty()) {
      return UnavailableError("this node has no pod CIDRs yet (is the controller reachable?)");
    }
    auto bridge = host_.GetLink(cfg_.bridge);
    if (!bridge.ok()) return UnavailableError("the pod bridge " + cfg_.bridge + " is not set up yet");
    return Status::Ok();
  }

  // Records the attachment's pod and runs the on_add hook. An empty CniResult means "go on".
  StatusOr<cni::CniResult> Protect(const cni::CniRequest& req,
                                   const std::vector<Allocation>& allocs) {
    if (req.pod_namespace.empty() || req.pod_name.empty()) return cni::CniResult{};
    core::netpol::LocalPod pod{req.pod_namespace, req.pod_name, {}};
    for (const Allocation& a : allocs) pod.addresses.push_back(a.ip);
    RETURN_IF_ERROR(bindings_.Put(req.container_id, req.ifname, pod));
    if (hooks_.on_add) RETURN_IF_ERROR(hooks_.on_add(pod));
    return cni::CniResult{};
  }

  static std::string Addresses(const std::vector<Allocation>& allocs) {
    std::string s;
    for (const Allocation& a : allocs) s += (s.empty() ? "" : ",") + a.ip.ToString();
    return s;
  }

  StatusOr<cni::CniResult> Plumb(const cni::CniRequest& req, const std::vector<Allocation>& allocs) {
    ASSIGN_OR_RETURN(netns::NetNs pod_ns, netns::NetNs::Open(req.netns));
    std::string host_name = HostVethName(req.container_id, req.ifname);
    // A repeated ADD rebuilds the pair from scratch: the kernel cannot re-home a veth's peer.
    RETURN_IF_ERROR(IgnoreNotFound(host_.DeleteLink(host_name)));
    int mtu = req.mtu.value_or(cfg_.pod_mtu);
    RETURN_IF_ERROR(host_.CreateVeth(host_name, req.ifname, pod_ns.fd(), mtu));
    RETURN_IF_ERROR(host_.SetMaster(host_name, cfg_.bridge));
    RETURN_IF_ERROR(host_.SetLinkUp(host_name, true));
    ASSIGN_OR_RETURN(netlink::Rtnl pod, netlink::Rtnl::Open(&pod_ns));
    RETURN_IF_ERROR(pod.SetLinkUp("lo", true));
    for (const Allocation& a : allocs) {
      RETURN_IF_ERROR(pod.AddAddress(req.ifname, {a.ip, a.cidr.prefix_len()}));
    }
    RETURN_IF_ERROR(pod.SetLinkUp(req.ifname, true));
    cni::CniResult result;
    ASSIGN_OR_RETURN(model::Link host_link, host_.GetLink(host_name));
    ASSIGN_OR_RETURN(model::Link pod_link, pod.GetLink(req.ifname));
    result.interfaces.push_back(
        {host_name, host_link.mac ? model::MacToString(*host_link.mac) : "", {}, "", "", ""});
    result.interfaces.push_back({req.ifname,
                                 pod_link.mac ? model::MacToString(*pod_link.mac) : "", mtu,
                                 req.netns, "", ""});
    for (const Allocation& a : allocs) {
      model::IpAddress gw = core::netplan::PodGateway(a.cidr);
      model::Route r;
      r.dst = DefaultRoute(a.ip.family());
      r.gateway = gw;
      r.device = req.ifname;
      RETURN_IF_ERROR(pod.ReplaceRoute(r));
      result.ips.push_back({a.ip, a.cidr.prefix_len(), gw, 1});
      result.routes.push_back({r.dst, gw, {}, {}, {}, {}, {}});
    }
    return result;
  }

  Status CheckPodSide(const cni::CniRequest& req, const std::vector<Allocation>& allocs) {
    ASSIGN_OR_RETURN(netns::NetNs pod_ns, netns::NetNs::Open(req.netns));
    ASSIGN_OR_RETURN(netlink::Rtnl pod, netlink::Rtnl::Open(&pod_ns));
    auto link = pod.GetLink(req.ifname);
    if (!link.ok()) return FailedPreconditionError("interface " + req.ifname + " is missing in " + req.netns);
    if (!link->up) return FailedPreconditionError("interface " + req.ifname + " is down");
    ASSIGN_OR_RETURN(auto addrs, pod.ListAddresses(req.ifname));
    for (const Allocation& a : allocs) {
      bool found = false;
      for (const netlink::DeviceAddress& d : addrs) found |= d.address.ip == a.ip;
      if (!found) {
        return FailedPreconditionError("address " + a.ip.ToString() + " is missing on " + req.ifname);
      }
    }
    return Status::Ok();
  }

  PodNetworkConfig cfg_;
  std::function<std::vector<model::Cidr>()> pod_cidrs_;
  PodHooks hooks_;
  std::unique_ptr<IpamStore> ipam_;
  netlink::Rtnl host_;
  PodBindings bindings_;
  std::mutex mu_;
};

}  // namespace

std::string HostVethName(std::string_view container_id, std::string_view ifname) {
  // FNV-1a over "container/ifname": stable across restarts and agents.
  uint32_t h = 2166136261u;
  auto mix = [&h](std::string_view s) {
    for (char c : s) {
      h ^= static_cast<uint8_t>(c);
      h *= 16777619u;
    }
  };
  mix(container_id);
  mix("/");
  mix(ifname);
  static const char* kHex = "0123456789abcdef";
  std::string out(model::kLinkPrefix);
  for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(h >> shift) & 0xf];
  return out;
}

StatusOr<std::unique_ptr<PodNetwork>> PodNetwork::Create(
    PodNetworkConfig config, std::function<std::vector<model::Cidr>()> pod_cidrs,
    PodHooks hooks) {
  ASSIGN_OR_RETURN(std::unique_ptr<IpamStore> ipam, IpamStore::Open(config.state_dir + "/ipam.db"));
  ASSIGN_OR_RETURN(netlink::Rtnl host, netlink::Rtnl::Open());
  return std::unique_ptr<PodNetwork>(
      new PodNetworkImpl(std::move(config), std::move(pod_cidrs), std::move(hooks),
                         std::move(ipam), std::move(host)));
}

}  // namespace egret::agent
