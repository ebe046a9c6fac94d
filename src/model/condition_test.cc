// The shared status-condition codec in both schemas (core/v1 and metav1). The kinds' own tests
// (node_test.cc, admin_network_policy_test.cc) cover the rules at their field paths.
#include "model/condition.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "model/model_test_util.h"

namespace egret::model {
namespace {

std::vector<Condition> Decode(std::string_view yaml, ConditionSchema schema, FieldErrors* errs) {
  doc::Value v = Yaml(yaml);
  ObjectReader r(&v, "status", errs);
  return DecodeConditions(r, "conditions", schema);
}

TEST(ConditionTest, CoreSchemaHasOptionalTimesAndNoGeneration) {
  FieldErrors errs;
  std::vector<Condition> c = Decode(
      "conditions: [{type: Ready, status: 'True', lastHeartbeatTime: '2024-05-01T12:00:00Z'}, "
      "{type: DiskPressure, status: 'False', reason: KubeletHasNoDiskPressure, message: ok, "
      "lastTransitionTime: '2024-05-01T11:00:00Z'}]",
      ConditionSchema::kCoreV1, &errs);
  ASSERT_TRUE(errs.empty()) << Describe(errs);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].status, ConditionStatus::kTrue);
  EXPECT_EQ(c[0].last_heartbeat_time, "2024-05-01T12:00:00Z");
  EXPECT_EQ(c[1].reason, "KubeletHasNoDiskPressure");
  EXPECT_EQ(ConditionStatusOf(c, "DiskPressure"), ConditionStatus::kFalse);
  EXPECT_EQ(ConditionStatusOf(c, "MemoryPressure"), ConditionStatus::kUnknown);
  // Only what was given is written, in one fixed order.
  EXPECT_EQ(doc::ToYaml(EncodeConditions(c, ConditionSchema::kCoreV1)),
            "- type: Ready\n  status: \"True\"\n  lastHeartbeatTime: 2024-05-01T12:00:00Z\n"
            "- type: DiskPressure\n  status: \"False\"\n"
            "  lastTransitionTime: 2024-05-01T11:00:00Z\n"
            "  reason: KubeletHasNoDiskPressure\n  message: ok\n");
}

TEST(ConditionTest, MetaSchemaWritesRequiredFieldsEvenWhenEmpty) {
  FieldErrors errs;
  std::vector<Condition> c = Decode(
      "conditions: [{type: example.com/Ready, status: Unknown, observedGeneration: 2, "
      "lastTransitionTime: '2024-05-01T12:00:00Z', reason: Pending, message: ''}]",
      ConditionSchema::kMetaV1, &errs);
  ASSERT_TRUE(errs.empty()) << Describe(errs);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].observed_generation, 2);
  doc::Value encoded = EncodeConditions(c, ConditionSchema::kMetaV1);
  EXPECT_EQ(doc::ToYaml(encoded),
            "- type: example.com/Ready\n  status: Unknown\n  observedGeneration: 2\n"
            "  lastTransitionTime: 2024-05-01T12:00:00Z\n  reason: Pending\n  message: \"\"\n");
  doc::Value wrapped = doc::Value::EmptyMap();
  wrapped.Set("conditions", encoded);
  ObjectReader r(&wrapped, "status", &errs);
  EXPECT_EQ(DecodeConditions(r, "conditions", ConditionSchema::kMetaV1), c);
  r.Finish();
  EXPECT_TRUE(errs.empty()) << Describe(errs);
}

TEST(ConditionTest, EachSchemaRejectsTheOthersFields) {
  FieldErrors core;
  Decode("conditions: [{type: Ready, status: 'True', observedGeneration: 1}]",
         ConditionSchema::kCoreV1, &core);
  EXPECT_TRUE(OnlyError(core, "status.conditions[0].observedGeneration", "unknown field"));
  FieldErrors meta;
  Decode(
      "conditions: [{type: Ready, status: 'True', lastTransitionTime: '2024-05-01T12:00:00Z', "
      "reason: R, message: '', lastHeartbeatTime: '2024-05-01T12:00:00Z'}]",
      ConditionSchema::kMetaV1, &meta);
  EXPECT_TRUE(OnlyError(meta, "status.conditions[0].lastHeartbeatTime", "unknown field"));
}

TEST(ConditionTest, SharedRules) {
  struct Case {
    ConditionSchema schema;
    std::string yaml;
    const char* path;
    const char* reason;
  };
  const std::string kMetaRest =
      ", lastTransitionTime: '2024-05-01T12:00:00Z', reason: R, message: ''}";
  const std::vector<Case> kCases = {
      {ConditionSchema::kCoreV1, "conditions: [{status: 'True'}]", "status.conditions[0].type",
       "Required value"},
      {ConditionSchema::kCoreV1, "conditions: [{type: Ready}]", "status.conditions[0].status",
       "Required value: use True, False or Unknown"},
      {ConditionSchema::kCoreV1, "conditions: [{type: Ready, status: true}]",
       "status.conditions[0].status", "must be a string, not boolean"},
      {ConditionSchema::kCoreV1, "conditions: [{type: Ready, status: 'true'}]",
       "status.conditions[0].status",
       "\"true\" is not a valid condition status: use True, False or Unknown"},
      {ConditionSchema::kCoreV1,
       "conditions: [{type: Ready, status: 'True'}, {type: Ready, status: 'True'}]",
       "status.conditions[1].type", "Duplicate value: \"Ready\" (one condition per type)"},
      {ConditionSchema::kCoreV1,
       "conditions: [{type: Ready, status: 'True', lastTransitionTime: today}]",
       "status.conditions[0].lastTransitionTime", "is not an RFC 3339 time"},
      {ConditionSchema::kMetaV1, "conditions: [{type: 'a b', status: 'True'" + kMetaRest + "]",
       "status.conditions[0].type", "is not a condition type"},
      {ConditionSchema::kMetaV1,
       "conditions: [{type: 'Bad_Prefix/Ready', status: 'True'" + kMetaRest + "]",
       "status.conditions[0].type", "is not a condition type"},
      {ConditionSchema::kMetaV1,
       "conditions: [{type: Ready, status: 'True', lastTransitionTime: '2024-05-01T12:00:00Z', "
       "reason: 'x:', message: ''}]",
       "status.conditions[0].reason", "is not a condition reason"},
      {ConditionSchema::kMetaV1,
       "conditions: [{type: Ready, status: 'True', reason: R, message: ''}]",
       "status.conditions[0].lastTransitionTime", "Required value"},
  };
  for (const Case& c : kCases) {
    FieldErrors errs;
    doc::Value v = Yaml(c.yaml);
    ObjectReader r(&v, "status", &errs);
    DecodeConditions(r, "conditions", c.schema);
    r.Finish();
    EXPECT_TRUE(OnlyError(errs, c.path, c.reason)) << c.yaml;
  }
  FieldErrors ok;
  Decode("conditions: [{type: 'example.com/Ready-2_x.y', status: 'True'" + kMetaRest + "]",
         ConditionSchema::kMetaV1, &ok);
  EXPECT_TRUE(ok.empty()) << Describe(ok);
}

}  // namespace
}  // namespace egret::model
