// The cross-object egress rules: each rule valid and invalid, whole batches, updates, and the
// principle that untouched stored objects never block an apply.
#include "core/admission/admission.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "doc/yaml.h"
#include "model/kinds.h"

namespace egret::core::admission {
namespace {

using Objects = std::vector<model::Object>;

model::Object Obj(const std::string& yaml) {
  auto docs = doc::ParseYaml(yaml);
  EXPECT_TRUE(docs.ok()) << docs.status().ToString() << "\n" << yaml;
  if (!docs.ok() || docs->empty()) return {};
  StatusOr<model::Object> o = model::DecodeObject(docs->front());
  EXPECT_TRUE(o.ok()) << o.status().ToString() << "\n" << yaml;
  return o.ok() ? *o : model::Object{};
}

// Objects from YAML flow-style fragments.
model::Object Gateway(const std::string& name, const std::string& pools,
                      bool cluster_default = false) {
  return Obj("apiVersion: egret.io/v1\nkind: EgressGateway\nmetadata: {name: " + name +
             "}\nspec: {nodeSelector: {selector: {}}, ippools: " + pools +
             ", clusterDefault: " + (cluster_default ? "true" : "false") + "}\n");
}
model::Object Policy(const std::string& name, const std::string& spec,
                     const std::string& status = "") {
  return Obj("apiVersion: egret.io/v1\nkind: EgressPolicy\nmetadata: {name: " + name +
             ", namespace: ns}\nspec: " + spec + "\n" +
             (status.empty() ? "" : "status: " + status + "\n"));
}
model::Object ClusterPolicy(const std::string& name, const std::string& spec) {
  return Obj("apiVersion: egret.io/v1\nkind: EgressClusterPolicy\nmetadata: {name: " + name +
             "}\nspec: " + spec + "\n");
}
// A policy spec naming `gateway` (unless empty) with the given egressIP fields.
std::string Spec(const std::string& gateway, const std::string& egress_ip = "{}") {
  return "{" + (gateway.empty() ? "" : "egressGatewayName: " + gateway + ", ") +
         "egressIP: " + egress_ip + ", appliedTo: {podSelector: {}}}";
}

constexpr ClusterConfig kV4Only{};
constexpr ClusterConfig kDual{.ipv4_enabled = true, .ipv6_enabled = true};
constexpr ClusterConfig kV6Only{.ipv4_enabled = false, .ipv6_enabled = true};

void ExpectOk(const ClusterConfig& cfg, const Objects& existing, const Objects& incoming) {
  Status s = AdmitApply(cfg, existing, incoming);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

// The refusal's message is exactly `lines` (one violation per line).
void ExpectRefused(const ClusterConfig& cfg, const Objects& existing, const Objects& incoming,
                   const std::vector<std::string>& lines) {
  Status s = AdmitApply(cfg, existing, incoming);
  ASSERT_FALSE(s.ok()) << "admitted";
  EXPECT_EQ(s.code(), Code::kInvalid);
  std::string want;
  for (const std::string& l : lines) want += (want.empty() ? "" : "\n") + l;
  EXPECT_EQ(s.message(), want);
}

TEST(Admission, KindsConsulted) {
  std::vector<std::string_view> kinds = KindsConsulted();
  EXPECT_EQ(kinds, (std::vector<std::string_view>{"EgressGateway", "EgressPolicy",
                                                  "EgressClusterPolicy"}));
}

TEST(Admission, EmptyBatchAndOtherKindsPass) {
  ExpectOk(kV4Only, {}, {});
  ExpectOk(kV4Only, {Gateway("a", "{ipv6: ['fd00::1']}")},
           {Obj("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")});
}

TEST(Admission, DisabledFamilyInGatewayPool) {
  ExpectOk(kV4Only, {}, {Gateway("gw", "{ipv4: [10.6.1.1]}")});
  ExpectOk(kDual, {}, {Gateway("gw", "{ipv4: [10.6.1.1], ipv6: ['fd00::1']}")});
  ExpectRefused(kV4Only, {}, {Gateway("gw", "{ipv4: [10.6.1.1], ipv6: ['fd00::1']}")},
                {"EgressGateway \"gw\": spec.ippools.ipv6: IPv6 is not enabled in this cluster"});
  ExpectRefused(kV6Only, {}, {Gateway("gw", "{ipv4: [10.6.1.1]}")},
                {"EgressGateway \"gw\": spec.ippools.ipv4: IPv4 is not enabled in this cluster"});
}

TEST(Admission, DisabledFamilyInPolicy) {
  ExpectOk(kDual, {},
           {Policy("p",
                   "{egressIP: {ipv6: 'fd00::1'}, appliedTo: {podSubnet: ['fd10::/64']}, "
                   "destSubnet: ['::/0']}")});
  ExpectRefused(
      kV4Only, {},
      {Policy("p",
              "{egressIP: {ipv4: 10.6.1.1, ipv6: 'fd00::1'}, appliedTo: {podSubnet: "
              "[10.244.0.0/16, 'fd10::/64']}, destSubnet: ['::/0', 0.0.0.0/0]}")},
      {"EgressPolicy \"ns/p\": spec.egressIP.ipv6: IPv6 is not enabled in this cluster\n"
       "EgressPolicy \"ns/p\": spec.appliedTo.podSubnet[1]: IPv6 is not enabled in this cluster\n"
       "EgressPolicy \"ns/p\": spec.destSubnet[0]: IPv6 is not enabled in this cluster"});
  ExpectRefused(kV6Only, {}, {ClusterPolicy("c", "{appliedTo: {podSubnet: [10.0.0.0/8]}}")},
                {"EgressClusterPolicy \"c\": spec.appliedTo.podSubnet[0]: IPv4 is not enabled "
                 "in this cluster"});
}

TEST(Admission, GatewaysDoNotSharePoolAddresses) {
  Objects stored = {Gateway("a", "{ipv4: [10.6.1.20-10.6.1.23], ipv6: ['fd00::/126']}")};
  ExpectOk(kDual, stored, {Gateway("b", "{ipv4: [10.6.1.24], ipv6: ['fd00::4']}")});
  ExpectRefused(kDual, stored,
                {Gateway("b", "{ipv4: [10.6.1.40, 10.6.1.22], ipv6: ['fd00::3', 'fd00::10']}")},
                {"EgressGateway \"b\": spec.ippools.ipv4[1]: \"10.6.1.22\" overlaps "
                 "spec.ippools.ipv4[0] (\"10.6.1.20-10.6.1.23\") of EgressGateway \"a\": no two "
                 "gateways may share a pool address\n"
                 "EgressGateway \"b\": spec.ippools.ipv6[0]: \"fd00::3\" overlaps "
                 "spec.ippools.ipv6[0] (\"fd00::/126\") of EgressGateway \"a\": no two gateways "
                 "may share a pool address"});
}

TEST(Admission, GatewayUpdateIsNotComparedWithItsOldSelf) {
  Objects stored = {Gateway("a", "{ipv4: [10.6.1.20-10.6.1.30]}")};
  ExpectOk(kV4Only, stored, {Gateway("a", "{ipv4: [10.6.1.20-10.6.1.40]}")});
}

TEST(Admission, OverlapWithinOneBatchIsChargedToTheLaterGateway) {
  ExpectRefused(kV4Only, {},
                {Gateway("a", "{ipv4: [10.6.1.0/24]}"), Gateway("b", "{ipv4: [10.6.1.7]}")},
                {"EgressGateway \"b\": spec.ippools.ipv4[0]: \"10.6.1.7\" overlaps "
                 "spec.ippools.ipv4[0] (\"10.6.1.0/24\") of EgressGateway \"a\": no two "
                 "gateways may share a pool address"});
  // Moving an address from one gateway to another in one batch is judged on the result.
  Objects stored = {Gateway("a", "{ipv4: [10.6.1.1-10.6.1.2]}")};
  ExpectOk(kV4Only, stored,
           {Gateway("b", "{ipv4: [10.6.1.2]}"), Gateway("a", "{ipv4: [10.6.1.1]}")});
}

TEST(Admission, StoredViolationsDoNotBlockUnrelatedApplies) {
  // Two stored gateways that overlap (stored before the rule) and a policy in the batch.
  Objects stored = {Gateway("a", "{ipv4: [10.6.1.1]}", true),
                    Gateway("b", "{ipv4: [10.6.1.1]}", true)};
  ExpectOk(kV4Only, stored, {Policy("p", Spec("a"))});
}

TEST(Admission, AtMostOneClusterDefault) {
  Objects stored = {Gateway("a", "{ipv4: [10.6.1.1]}", true)};
  ExpectOk(kV4Only, stored, {Gateway("b", "{ipv4: [10.6.1.2]}")});
  ExpectOk(kV4Only, stored, {Gateway("a", "{ipv4: [10.6.1.1]}", true)});
  // Handing the role over in one batch.
  ExpectOk(kV4Only, stored,
           {Gateway("b", "{ipv4: [10.6.1.2]}", true), Gateway("a", "{ipv4: [10.6.1.1]}")});
  ExpectRefused(kV4Only, stored, {Gateway("b", "{ipv4: [10.6.1.2]}", true)},
                {"EgressGateway \"b\": spec.clusterDefault: EgressGateway \"a\" is also the "
                 "cluster default: at most one gateway may set clusterDefault: true"});
  ExpectRefused(kV4Only, {}, {Gateway("a", "{ipv4: [10.6.1.1]}", true), Gateway("b", "{}", true)},
                {"EgressGateway \"a\": spec.clusterDefault: EgressGateway \"b\" is also the "
                 "cluster default: at most one gateway may set clusterDefault: true",
                 "EgressGateway \"b\": spec.clusterDefault: EgressGateway \"a\" is also the "
                 "cluster default: at most one gateway may set clusterDefault: true"});
}

TEST(Admission, ExplicitEipInsideNamedGatewayPool) {
  Objects stored = {Gateway("gw", "{ipv4: [10.6.1.20-10.6.1.30]}")};
  ExpectOk(kV4Only, stored, {Policy("p", Spec("gw", "{ipv4: 10.6.1.25}"))});
  ExpectOk(kV4Only, stored, {Policy("p", Spec("missing", "{ipv4: 10.7.0.1}"))});
  ExpectOk(kV4Only, stored, {Policy("p", Spec("", "{ipv4: 10.7.0.1}"))});
  ExpectRefused(kV4Only, stored, {Policy("p", Spec("gw", "{ipv4: 10.7.0.1}"))},
                {"EgressPolicy \"ns/p\": spec.egressIP.ipv4: \"10.7.0.1\" is not in "
                 "spec.ippools.ipv4 of EgressGateway \"gw\": use one of its addresses, or leave "
                 "ipv4 unset to have one allocated"});
  ExpectRefused(kDual, stored, {ClusterPolicy("c", Spec("gw", "{ipv6: 'fd00::1'}"))},
                {"EgressClusterPolicy \"c\": spec.egressIP.ipv6: \"fd00::1\" is not in "
                 "spec.ippools.ipv6 of EgressGateway \"gw\" (which is empty): use one of its "
                 "addresses, or leave ipv6 unset to have one allocated"});
}

TEST(Admission, ExplicitEipJudgedAgainstGatewayOfTheSameBatch) {
  ExpectOk(kV4Only, {},
           {Policy("p", Spec("gw", "{ipv4: 10.6.1.1}")), Gateway("gw", "{ipv4: [10.6.1.1]}")});
  ExpectRefused(kV4Only, {},
                {Policy("p", Spec("gw", "{ipv4: 10.6.1.2}")), Gateway("gw", "{ipv4: [10.6.1.1]}")},
                {"EgressPolicy \"ns/p\": spec.egressIP.ipv4: \"10.6.1.2\" is not in "
                 "spec.ippools.ipv4 of EgressGateway \"gw\": use one of its addresses, or leave "
                 "ipv4 unset to have one allocated"});
}

TEST(Admission, ExplicitEipJudgedAtCreationOnly) {
  // The policy came before its gateway, which then left its EIP out. The EIP is immutable, so
  // refusing later updates of the policy would help nobody: its status reports the mismatch.
  Objects stored = {Policy("p", Spec("gw", "{ipv4: 10.7.0.1}")),
                    Gateway("gw", "{ipv4: [10.6.1.1]}")};
  ExpectOk(kV4Only, stored,
           {Policy("p",
                   "{egressGatewayName: gw, egressIP: {ipv4: 10.7.0.1}, appliedTo: "
                   "{podSelector: {}}, priority: 5}")});
}

TEST(Admission, PolicyGatewayAndEipAreImmutable) {
  Objects stored = {Gateway("gw", "{ipv4: [10.6.1.1-10.6.1.9]}"),
                    Gateway("gw2", "{ipv4: [10.6.2.1]}"),
                    Policy("p", Spec("gw", "{ipv4: 10.6.1.1}")), Policy("q", Spec("")),
                    ClusterPolicy("c", Spec("gw", "{ipv4: 10.6.1.2}"))};
  // Other fields may change.
  ExpectOk(kV4Only, stored,
           {Policy("p",
                   "{egressGatewayName: gw, egressIP: {ipv4: 10.6.1.1}, appliedTo: "
                   "{podSubnet: [10.244.0.0/16]}, priority: 9}")});
  ExpectRefused(kV4Only, stored, {Policy("p", Spec("gw2", "{ipv4: 10.6.2.1}"))},
                {"EgressPolicy \"ns/p\": spec.egressGatewayName: field is immutable (it was "
                 "\"gw\"): delete and re-create the policy to change it",
                 "EgressPolicy \"ns/p\": spec.egressIP.ipv4: field is immutable (it was "
                 "\"10.6.1.1\"): delete and re-create the policy to change it"});
  ExpectRefused(kV4Only, stored, {Policy("q", Spec("gw", "{ipv4: 10.6.1.3}"))},
                {"EgressPolicy \"ns/q\": spec.egressGatewayName: field is immutable (it was "
                 "unset): delete and re-create the policy to change it",
                 "EgressPolicy \"ns/q\": spec.egressIP.ipv4: field is immutable (it was unset): "
                 "delete and re-create the policy to change it"});
  ExpectRefused(kV4Only, stored, {ClusterPolicy("c", Spec("gw", "{useNodeIP: true}"))},
                {"EgressClusterPolicy \"c\": spec.egressIP.ipv4: field is immutable (it was "
                 "\"10.6.1.2\"): delete and re-create the policy to change it"});
}

TEST(Admission, GatewayKeepsAddressesInUse) {
  Objects stored = {Gateway("gw", "{ipv4: [10.6.1.20-10.6.1.30]}"),
                    Policy("explicit", Spec("gw", "{ipv4: 10.6.1.25}")),
                    Policy("allocated", Spec("gw"), "{eip: {ipv4: 10.6.1.30}, node: n1}")};
  ExpectOk(kV4Only, stored, {Gateway("gw", "{ipv4: [10.6.1.25-10.6.1.30]}")});
  ExpectRefused(kV4Only, stored, {Gateway("gw", "{ipv4: [10.6.1.20-10.6.1.24]}")},
                {"EgressGateway \"gw\": spec.ippools.ipv4: \"10.6.1.25\" is in use by "
                 "EgressPolicy \"ns/explicit\" and cannot leave the pool: keep it, or first "
                 "delete the policies using it",
                 "EgressGateway \"gw\": spec.ippools.ipv4: \"10.6.1.30\" is in use by "
                 "EgressPolicy \"ns/allocated\" and cannot leave the pool: keep it, or first "
                 "delete the policies using it"});
  // A policy updated in the same batch keeps its stored status, so its EIP stays in use.
  ExpectRefused(kV4Only, stored,
                {Policy("allocated",
                        "{egressGatewayName: gw, appliedTo: {podSubnet: "
                        "[10.244.0.0/16]}}"),
                 Gateway("gw", "{ipv4: [10.6.1.20-10.6.1.29]}")},
                {"EgressGateway \"gw\": spec.ippools.ipv4: \"10.6.1.30\" is in use by "
                 "EgressPolicy \"ns/allocated\" and cannot leave the pool: keep it, or first "
                 "delete the policies using it"});
}

TEST(Admission, StatusOfIncomingObjectsIsIgnored) {
  // Writes keep the stored status, so an EIP in the status of a new policy is no use.
  Objects stored = {Gateway("gw", "{ipv4: [10.6.1.20-10.6.1.30]}")};
  ExpectOk(
      kV4Only, stored,
      {Policy("p", Spec("gw"), "{eip: {ipv4: 10.6.1.30}}"), Gateway("gw", "{ipv4: [10.6.1.20]}")});
}

TEST(Admission, SameObjectTwiceInABatch) {
  ExpectRefused(kV4Only, {},
                {Gateway("a", "{ipv4: [10.6.1.1]}"), Gateway("a", "{ipv4: [10.6.1.2]}")},
                {"EgressGateway \"a\": appears more than once in this batch: give each object "
                 "once"});
}

TEST(Admission, ViolationsOfSeveralObjectsListedInBatchOrder) {
  Objects stored = {Gateway("a", "{ipv4: [10.6.1.1]}", true)};
  ExpectRefused(kV4Only, stored,
                {Policy("p", Spec("a", "{ipv4: 10.6.9.9}")),
                 Gateway("b", "{ipv4: [10.6.1.1], ipv6: ['fd00::1']}")},
                {"EgressPolicy \"ns/p\": spec.egressIP.ipv4: \"10.6.9.9\" is not in "
                 "spec.ippools.ipv4 of EgressGateway \"a\": use one of its addresses, or leave "
                 "ipv4 unset to have one allocated",
                 "EgressGateway \"b\": spec.ippools.ipv6: IPv6 is not enabled in this cluster\n"
                 "EgressGateway \"b\": spec.ippools.ipv4[0]: \"10.6.1.1\" overlaps "
                 "spec.ippools.ipv4[0] (\"10.6.1.1\") of EgressGateway \"a\": no two gateways "
                 "may share a pool address"});
}

TEST(Admission, UndecodableDocumentIsABug) {
  model::Object bad;
  bad.kind = model::FindKind("EgressGateway");
  bad.meta.name = "x";
  bad.doc = doc::Value::EmptyMap();
  Status s = AdmitApply(kV4Only, {}, std::vector<model::Object>{bad});
  EXPECT_EQ(s.code(), Code::kInternal) << s.ToString();
}

TEST(Admission, DeleteRefusesNothing) {
  Objects stored = {Gateway("gw", "{ipv4: [10.6.1.1]}"),
                    Policy("p", Spec("gw", "{ipv4: 10.6.1.1}"))};
  EXPECT_TRUE(AdmitDelete(kV4Only, stored, std::span(stored).first(1)).ok());
}

}  // namespace
}  // namespace egret::core::admission
