#include "core/netpol/compiled.h"

namespace egret::core::netpol {

bool DirectionProgram::AcceptsAll() const {
  return admin.rules.empty() && admin.otherwise == Action::kNextTier &&
         network_policy.rules.empty() && network_policy.otherwise == Action::kNextTier &&
         baseline.rules.empty() && baseline.otherwise != Action::kDrop;
}

}  // namespace egret::core::netpol
