// Admission: the cross-object rules an apply must pass before anything is written. Single
// objects are already decoded and validated (model::DecodeObjects); this judges a batch
// against the stored objects it interacts with, as a pure function of values.
//
// The egress rules (docs/reference/egress.md, "Rules across objects"):
// - an address family the cluster does not run is refused in gateway pools and in policies'
//   egressIP, podSubnet and destSubnet;
// - no two gateways share a pool address;
// - at most one gateway has clusterDefault: true;
// - a new policy's explicit EIP lies in the pool of the gateway it names, when that gateway
//   exists (a policy may name a gateway that does not exist yet: its status says so);
// - a policy's egressGatewayName and egressIP.ipv4/ipv6 never change after creation;
// - an update of a gateway keeps every pool address in use (a policy's explicit EIP or the EIP
//   its status reports).
//
// A violation is charged to an object of the batch: stored objects that the batch does not
// touch never block it, even if they break a rule (state from before a rule existed).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/kinds.h"

namespace egret::core::admission {

// The address families the cluster runs (pod network and egress datapath).
struct ClusterConfig {
  bool ipv4_enabled = true;
  bool ipv6_enabled = false;
};

// Kinds whose stored objects the rules consult; the caller lists these and passes them as
// `existing`. Objects of other kinds, in `existing` or `incoming`, are ignored.
std::vector<std::string_view> KindsConsulted();

// Judges applying `incoming` (the whole batch, in the user's order) on top of `existing` (the
// stored objects of KindsConsulted(), in canonical form with their status). An incoming object
// with the kind, namespace and name of an existing one is an update of it; writes keep the
// stored status, so the status of an incoming object is ignored. The same object twice in one
// batch is refused.
// Returns Ok, or Invalid whose message has one line per violation, grouped by object in batch
// order, each `<Kind> "<ns/name>": <field path>: <reason>`. Internal when a document does not
// decode (callers pass canonical documents, so that is a bug upstream).
Status AdmitApply(const ClusterConfig& cfg, std::span<const model::Object> existing,
                  std::span<const model::Object> incoming);

// Judges deleting `deleting` (stored objects) from `existing`. Nothing is refused today: a
// policy whose gateway is deleted keeps its spec and reports the missing gateway in status.
// The hook exists so that a refusal rule can be added without changing callers.
Status AdmitDelete(const ClusterConfig& cfg, std::span<const model::Object> existing,
                   std::span<const model::Object> deleting);

}  // namespace egret::core::admission
