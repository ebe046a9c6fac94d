// `egret get -o wide` and `egret describe` of the policy kinds: the REALIZED column read from
// the controller's Ready condition, and the conditions table of describe.
#include "cli/printers.h"

#include <gtest/gtest.h>

#include "doc/json.h"

namespace egret::cli {
namespace {

doc::Value Json(const std::string& text) {
  auto v = doc::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status().ToString() << "\n" << text;
  return v.ok() ? *v : doc::Value();
}

std::string ReadyStatus(const std::string& status, const std::string& message) {
  return R"(,"status":{"conditions":[{"type":"Ready","status":")" + status +
         R"(","lastTransitionTime":"2024-05-01T12:00:00Z","reason":"Pending","message":")" +
         message + R"("}]})";
}

doc::Value NetPol(const std::string& name, const std::string& status = "") {
  return Json(R"({"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy",)"
              R"("metadata":{"name":")" +
              name + R"(","namespace":"x"},"spec":{"podSelector":{},"policyTypes":["Ingress"]})" +
              status + "}");
}

TEST(PolicyPrinters, WideTableShowsOnHowManyNodesEachPolicyIsRealized) {
  std::vector<doc::Value> items = {NetPol("a", ReadyStatus("False", "realized on 2 of 3 nodes")),
                                   NetPol("b"),
                                   NetPol("c", ReadyStatus("True", "set up by someone else"))};
  std::string wide = FormatTable(items, {.wide = true});
  EXPECT_EQ(wide,
            "NAME   POD-SELECTOR   POLICY-TYPES   REALIZED   AGE\n"
            "a      <all>          Ingress        2/3        <unknown>\n"
            "b      <all>          Ingress        <none>     <unknown>\n"
            "c      <all>          Ingress        True       <unknown>\n");
  // Not without -o wide.
  EXPECT_EQ(FormatTable(items, {}).find("REALIZED"), std::string::npos);
}

TEST(PolicyPrinters, AdminAndBaselinePoliciesHaveTheColumnToo) {
  doc::Value anp =
      Json(R"({"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"AdminNetworkPolicy",)"
           R"("metadata":{"name":"a"},"spec":{"priority":5})" +
           ReadyStatus("True", "realized on 0 of 0 nodes") + "}");
  EXPECT_EQ(FormatTable({anp}, {.wide = true}),
            "NAME   PRIORITY   REALIZED   AGE\n"
            "a      5          0/0        <unknown>\n");
  doc::Value banp = Json(
      R"({"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"BaselineAdminNetworkPolicy",)"
      R"("metadata":{"name":"default"},"spec":{})" +
      ReadyStatus("False", "realized on 1 of 4 nodes") + "}");
  EXPECT_EQ(FormatTable({banp}, {.wide = true}),
            "NAME      REALIZED   AGE\n"
            "default   1/4        <unknown>\n");
}

TEST(PolicyPrinters, DescribeShowsTheConditionsAsATable) {
  std::string text = FormatDescribe(NetPol("a", ReadyStatus("False", "realized on 2 of 3 nodes")));
  EXPECT_NE(text.find("Status:\n"
                      "  Conditions:\n"
                      "    TYPE    STATUS   REASON    MESSAGE                    LAST TRANSITION\n"
                      "    Ready   False    Pending   realized on 2 of 3 nodes   "
                      "2024-05-01T12:00:00Z\n"),
            std::string::npos)
      << text;
  // Other status fields stay YAML, before the table.
  doc::Value node =
      Json(R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"status":{"podCIDR":)"
           R"("10.244.1.0/24","conditions":[{"type":"Ready","status":"True"}]}})");
  text = FormatDescribe(node);
  EXPECT_NE(text.find("Status:\n  podCIDR: 10.244.1.0/24\n  Conditions:\n    TYPE    STATUS"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace egret::cli
