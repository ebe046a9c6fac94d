// Internal to the admission library: the egress objects as they would be after an apply, and
// the rules judged over them (egress_rules.cc). admission.cc builds the state and runs them.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/admission/admission.h"
#include "model/egress_gateway.h"
#include "model/egress_policy.h"
#include "model/field_errors.h"
#include "model/kinds.h"

namespace egret::core::admission::internal {

// Violations, charged to objects of the batch by their index in it.
class Violations {
 public:
  explicit Violations(std::span<const model::Object> incoming)
      : incoming_(incoming), errors_(incoming.size()) {}
  void Add(size_t batch_index, std::string path, std::string reason) {
    errors_[batch_index].Add(std::move(path), std::move(reason));
  }
  // Ok, or Invalid with every violation, grouped by object in batch order.
  Status ToStatus() const;

 private:
  std::span<const model::Object> incoming_;
  std::vector<model::FieldErrors> errors_;
};

struct GatewayState {
  const model::Object* object = nullptr;  // the resulting version
  model::EgressGateway now;
  std::optional<model::EgressGateway> before;  // the stored version, when this is an update
  std::optional<size_t> batch_index;           // set when the batch writes this gateway
};

// EgressPolicy and EgressClusterPolicy alike.
struct PolicyState {
  const model::Object* object = nullptr;
  model::EgressPolicySpec spec;
  std::optional<model::EgressPolicySpec> spec_before;
  model::EgressPolicyStatus stored_status;  // writes keep it, so it stays in force
  std::optional<size_t> batch_index;
};

struct EgressState {
  std::vector<GatewayState> gateways;  // untouched stored ones, then the batch's in order
  // The batch's policies, and the untouched stored ones only when the batch updates a gateway
  // (CheckPoolAddressesInUse is the one rule that reads them).
  std::vector<PolicyState> policies;
  const GatewayState* FindGateway(std::string_view name) const;
};

// The rules; each adds its violations. See admission.h for what they mean.
void CheckFamiliesEnabled(const ClusterConfig& cfg, const EgressState& s, Violations* v);
void CheckPoolsDisjoint(const EgressState& s, Violations* v);
void CheckOneClusterDefault(const EgressState& s, Violations* v);
void CheckEipInNamedPool(const EgressState& s, Violations* v);
void CheckImmutableFields(const EgressState& s, Violations* v);
void CheckPoolAddressesInUse(const EgressState& s, Violations* v);

}  // namespace egret::core::admission::internal
