// The canonicalize entry point of every kind module, for the registry in kinds.cc.
#pragma once

#include "common/status.h"
#include "doc/value.h"

namespace egret::model {

StatusOr<doc::Value> CanonicalizeNamespace(const doc::Value& v);            // namespace.cc
StatusOr<doc::Value> CanonicalizeNode(const doc::Value& v);                 // node.cc
StatusOr<doc::Value> CanonicalizePod(const doc::Value& v);                  // pod.cc
StatusOr<doc::Value> CanonicalizeService(const doc::Value& v);              // service.cc
StatusOr<doc::Value> CanonicalizeEndpointSlice(const doc::Value& v);        // endpoint_slice.cc
StatusOr<doc::Value> CanonicalizeNetworkPolicy(const doc::Value& v);        // network_policy.cc
StatusOr<doc::Value> CanonicalizeAdminNetworkPolicy(const doc::Value& v);   // admin_network_policy.cc
StatusOr<doc::Value> CanonicalizeBaselineAdminNetworkPolicy(const doc::Value& v);
StatusOr<doc::Value> CanonicalizeEgressGateway(const doc::Value& v);        // egress_gateway.cc
StatusOr<doc::Value> CanonicalizeEgressPolicy(const doc::Value& v);         // egress_policy.cc
StatusOr<doc::Value> CanonicalizeEgressClusterPolicy(const doc::Value& v);  // egress_policy.cc

}  // namespace egret::model
