// A reference interpreter of the compiled form: runs NodePolicyStates the way the datapath
// runs the chains rendered from them. The tests check it against the evaluator (evaluate.h);
// `egret lab` can use it to explain a probe's result without reading the kernel.
//
// The egress program is the one of the pod owning the source address, found in the state of
// any node; the ingress program the one of the pod owning the destination address. An address
// no state lists a program for is not restricted.
#pragma once

#include <span>
#include <string>

#include "core/netpol/cluster.h"
#include "core/netpol/compiled.h"

namespace egret::core::netpol {

struct InterpretedVerdict {
  bool allowed = true;  // egress && ingress
  bool egress = true;
  bool ingress = true;
  std::string egress_rule;  // origin of the deciding rule; "" for a tier's otherwise
  std::string ingress_rule;
};

InterpretedVerdict Interpret(std::span<const NodePolicyState> states, const Connection& conn);

// Runs one direction program for a connection. `peer` is the other end's address
// (the source for ingress, the destination for egress); `state` provides the sets.
bool RunDirection(const NodePolicyState& state, const DirectionProgram& program,
                  const model::IpAddress& peer, const Connection& conn, std::string* rule);

}  // namespace egret::core::netpol
