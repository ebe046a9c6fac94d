// ApiService: the controller's answer to every API request except watch streams. It is where
// user intent enters the system, so it holds the write rules: a batch is decoded, validated as
// a whole (kind rules, namespaces, cross-object admission) and committed atomically, or
// nothing is written.
#pragma once

#include <mutex>
#include <string>

#include "core/admission/admission.h"
#include "doc/value.h"
#include "model/net.h"
#include "ports/datastore.h"

namespace egret::controller {

// The cluster-wide network facts agents need (answered by the `clusterInfo` op).
struct ClusterInfo {
  std::vector<model::Cidr> cluster_cidrs;  // pod CIDRs of the cluster, one per family
  std::vector<model::Cidr> service_cidrs;
  std::vector<model::Cidr> extra_internal;  // more destinations that are never "outside"
};

class ApiService {
 public:
  ApiService(ports::Datastore* store, core::admission::ClusterConfig config, ClusterInfo info = {})
      : store_(store), config_(config), info_(std::move(info)) {}

  // Creates the objects a cluster always has (Namespace "default"); idempotent.
  Status EnsureBuiltins();

  // Handles one request frame; returns the reply frame (ok or error). Never throws.
  doc::Value Handle(const doc::Value& request);

  ports::Datastore* store() { return store_; }

 private:
  doc::Value Get(const doc::Value& req);
  doc::Value List(const doc::Value& req);
  doc::Value Apply(const doc::Value& req);
  doc::Value Delete(const doc::Value& req);
  doc::Value PutStatus(const doc::Value& req);
  doc::Value Lease(const doc::Value& req);

  ports::Datastore* store_;
  core::admission::ClusterConfig config_;
  ClusterInfo info_;
  // Serializes validate-then-commit so that admission sees the state it commits against.
  std::mutex write_mu_;
};

// Resolves a kind name or alias and fills the default namespace for namespaced kinds.
StatusOr<ports::ObjectKey> ResolveRef(const doc::Value& ref);

}  // namespace egret::controller
