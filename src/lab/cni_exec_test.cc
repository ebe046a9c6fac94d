#include "lab/cni_exec.h"

#include <gtest/gtest.h>

#include "doc/json.h"

namespace egret::lab {
namespace {

CniCall Call() {
  return {"/opt/egret/bin/egret-cni",
          "/run/netns/l-n1",
          "/run/netns/l-p-default.web",
          "c0ffee",
          "/run/egret/lab/l/nodes/n1/agent.sock",
          {"default", "web"},
          "pod default/web"};
}

TEST(CniExec, EnvironmentFollowsTheSpec) {
  std::vector<std::string> env = CniEnvironment(Call(), "ADD");
  auto has = [&](const std::string& kv) {
    return std::find(env.begin(), env.end(), kv) != env.end();
  };
  EXPECT_TRUE(has("CNI_COMMAND=ADD"));
  EXPECT_TRUE(has("CNI_CONTAINERID=c0ffee"));
  EXPECT_TRUE(has("CNI_NETNS=/run/netns/l-p-default.web"));
  EXPECT_TRUE(has("CNI_IFNAME=eth0"));
  EXPECT_TRUE(has("CNI_PATH=/opt/egret/bin"));
  EXPECT_TRUE(
      has("CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web;"
          "K8S_POD_INFRA_CONTAINER_ID=c0ffee"));
}

TEST(CniExec, NetworkConfigNamesTheAgentSocket) {
  auto v = doc::ParseJson(CniNetworkConfig(Call()));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->Find("cniVersion")->as_string(), "1.1.0");
  EXPECT_EQ(v->Find("type")->as_string(), "egret");
  EXPECT_EQ(v->Find("agentSocket")->as_string(), "/run/egret/lab/l/nodes/n1/agent.sock");
}

TEST(CniExec, ParsesResultAddressesInOrder) {
  auto ips =
      ParseCniAddresses(R"({"cniVersion":"1.1.0","ips":[{"address":"10.244.1.5/24"},)"
                        R"({"address":"fd00:10:244:1::5/64","gateway":"fd00:10:244:1::1"}]})");
  ASSERT_TRUE(ips.ok()) << ips.status().message();
  ASSERT_EQ(ips->size(), 2u);
  EXPECT_EQ((*ips)[0].ToString(), "10.244.1.5");
  EXPECT_EQ((*ips)[1].ToString(), "fd00:10:244:1::5");
}

TEST(CniExec, RefusesResultsWithoutGoodAddresses) {
  EXPECT_NE(ParseCniAddresses(R"({"ips":[]})").status().message().find("reported no address"),
            std::string::npos);
  EXPECT_NE(ParseCniAddresses(R"({"ips":[{"address":"10.244.1.5"}]})")
                .status()
                .message()
                .find("ips[0].address: \"10.244.1.5\" is not an address with a prefix length"),
            std::string::npos);
  EXPECT_EQ(ParseCniAddresses("not json").status().code(), Code::kInvalid);
}

TEST(CniExec, FailureTextUsesTheErrorDocument) {
  std::string text = CniFailureText(
      R"({"cniVersion":"1.1.0","code":11,"msg":"agent not ready","details":"connect: refused"})",
      "log line\n", 1);
  EXPECT_EQ(text, "agent not ready (connect: refused) [CNI error 11]; stderr: log line");
  EXPECT_EQ(CniFailureText("", "", 2), "exit code 2");
}

}  // namespace
}  // namespace egret::lab
