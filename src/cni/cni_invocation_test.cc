// The invocation rules: environment per command, the network configuration's fields, the error
// code each problem gets and the version errors are answered in.
#include "cni/cni_invocation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace egret::cni {
namespace {

using ::testing::HasSubstr;

CniEnv Env(std::string_view command) {
  return {{"CNI_COMMAND", std::string(command)},
          {"CNI_CONTAINERID", "3f6940ab5ab4"},
          {"CNI_NETNS", "/var/run/netns/cni-1"},
          {"CNI_IFNAME", "eth0"},
          {"CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1;K8S_POD_UID=u1"},
          {"CNI_PATH", "/opt/cni/bin"}};
}

CniEnv With(CniEnv env, const std::string& key, const std::string& value) {
  env[key] = value;
  return env;
}

CniEnv Without(CniEnv env, const std::string& key) {
  env.erase(key);
  return env;
}

// A configuration with `extra` members appended.
std::string Config(const std::string& extra = "", const std::string& version = "1.1.0") {
  return R"({"cniVersion":")" + version + R"(","name":"egret","type":"egret")" + extra + "}";
}

const std::string kPrev =
    R"(,"prevResult":{"cniVersion":"1.1.0","interfaces":[{"name":"eth0",)"
    R"("sandbox":"/var/run/netns/cni-1"}],)"
    R"("ips":[{"address":"10.244.1.5/24","gateway":"10.244.1.1","interface":0}]})";

CniInvocation Parse(const CniEnv& env, const std::string& stdin_text) {
  CniErrorOr<CniInvocation> inv = ParseInvocation(env, stdin_text);
  EXPECT_TRUE(inv.ok()) << (inv.ok() ? "" : inv.error().msg);
  return inv.ok() ? *inv : CniInvocation{};
}

CniError Fail(const CniEnv& env, const std::string& stdin_text) {
  CniErrorOr<CniInvocation> inv = ParseInvocation(env, stdin_text);
  EXPECT_FALSE(inv.ok());
  return inv.ok() ? CniError{} : inv.error();
}

TEST(CniInvocation, ParsesAValidAdd) {
  CniInvocation inv =
      Parse(Env("ADD"), Config(R"(,"mtu":1450,"runtimeConfig":{"portMappings":[]},)"
                               R"("args":{"cni":{"x":1}},"ipam":{},"dns":{},)"
                               R"("capabilities":{"portMappings":true},"vendorKey":7)"));
  const CniRequest& r = inv.request;
  EXPECT_EQ(r.command, CniCommand::kAdd);
  EXPECT_EQ(r.cni_version, "1.1.0");
  EXPECT_EQ(r.network, "egret");
  EXPECT_EQ(r.container_id, "3f6940ab5ab4");
  EXPECT_EQ(r.netns, "/var/run/netns/cni-1");
  EXPECT_EQ(r.ifname, "eth0");
  EXPECT_EQ(r.args.size(), 4u);
  EXPECT_EQ(r.pod_namespace, "shop");
  EXPECT_EQ(r.pod_name, "web-1");
  EXPECT_EQ(r.pod_uid, "u1");
  EXPECT_EQ(r.mtu, 1450);
  EXPECT_TRUE(r.runtime_config.Find("portMappings"));
  EXPECT_TRUE(r.config_args.Find("cni"));
  EXPECT_FALSE(r.prev_result.has_value());
  EXPECT_EQ(inv.agent_socket, "/run/egret/agent.sock");
  EXPECT_EQ(inv.agent_timeout_seconds, 60);
}

TEST(CniInvocation, Command) {
  CniError e = Fail(Without(Env("ADD"), "CNI_COMMAND"), Config());
  EXPECT_EQ(e.code, code::kInvalidEnvironment);
  EXPECT_EQ(e.msg, "CNI_COMMAND: Required value");
  e = Fail(Env("add"), Config());
  EXPECT_EQ(e.code, code::kInvalidEnvironment);
  EXPECT_EQ(e.msg,
            "CNI_COMMAND: \"add\" is not a CNI command: use ADD, DEL, CHECK, STATUS, GC or "
            "VERSION");
}

TEST(CniInvocation, AttachmentEnvironmentForAddAndCheck) {
  for (std::string_view cmd : {"ADD", "CHECK"}) {
    std::string config = Config(kPrev);
    EXPECT_EQ(Fail(Without(Env(cmd), "CNI_CONTAINERID"), config).msg,
              "CNI_CONTAINERID: Required value");
    EXPECT_EQ(Fail(Without(Env(cmd), "CNI_NETNS"), config).msg, "CNI_NETNS: Required value");
    EXPECT_EQ(Fail(Without(Env(cmd), "CNI_IFNAME"), config).msg, "CNI_IFNAME: Required value");
    CniError e = Fail(With(Env(cmd), "CNI_NETNS", "/etc/../proc/1/ns/net"), config);
    EXPECT_EQ(e.code, code::kInvalidEnvironment);
    EXPECT_THAT(e.msg, HasSubstr("CNI_NETNS: \"/etc/../proc/1/ns/net\" is not a normalized path"));
    EXPECT_THAT(Fail(With(Env(cmd), "CNI_NETNS", "/home/x/ns"), config).msg,
                HasSubstr("is not a network namespace path"));
    EXPECT_THAT(Fail(With(Env(cmd), "CNI_CONTAINERID", "../x"), config).msg,
                HasSubstr("CNI_CONTAINERID: \"../x\" is not a valid container ID"));
    EXPECT_THAT(Fail(With(Env(cmd), "CNI_IFNAME", "eth0:1"), config).msg,
                HasSubstr("CNI_IFNAME: \"eth0:1\" is not a valid interface name"));
    EXPECT_THAT(Fail(With(Env(cmd), "CNI_ARGS", "K8S_POD_NAME=x"), config).msg,
                HasSubstr("CNI_ARGS: give both K8S_POD_NAMESPACE and K8S_POD_NAME"));
  }
}

TEST(CniInvocation, EveryEnvironmentProblemIsReportedAtOnce) {
  CniEnv env = {{"CNI_COMMAND", "ADD"}, {"CNI_CONTAINERID", "-x"}, {"CNI_IFNAME", "."}};
  EXPECT_EQ(Fail(env, Config()).msg,
            "CNI_CONTAINERID: \"-x\" is not a valid container ID: use letters, digits, '_', '.' "
            "and '-', starting with a letter or digit; CNI_NETNS: Required value; CNI_IFNAME: "
            "\".\" is not a valid interface name: \".\" and \"..\" are reserved");
}

TEST(CniInvocation, DelNeedsNoNamespace) {
  CniInvocation inv = Parse(Without(Env("DEL"), "CNI_NETNS"), Config());
  EXPECT_EQ(inv.request.command, CniCommand::kDel);
  EXPECT_EQ(inv.request.netns, "");
  EXPECT_EQ(Parse(With(Env("DEL"), "CNI_NETNS", ""), Config(kPrev)).request.prev_result->ips.size(),
            1u);
  EXPECT_THAT(Fail(With(Env("DEL"), "CNI_NETNS", "relative"), Config()).msg,
              HasSubstr("CNI_NETNS: \"relative\" is not an absolute path"));
  EXPECT_EQ(Fail(Without(Env("DEL"), "CNI_IFNAME"), Config()).msg, "CNI_IFNAME: Required value");
}

TEST(CniInvocation, CheckNeedsPrevResult) {
  CniInvocation inv = Parse(Env("CHECK"), Config(kPrev));
  ASSERT_TRUE(inv.request.prev_result.has_value());
  EXPECT_EQ(inv.request.prev_result->ips[0].address.ToString(), "10.244.1.5");
  CniError e = Fail(Env("CHECK"), Config());
  EXPECT_EQ(e.code, code::kInvalidConfig);
  EXPECT_EQ(e.msg,
            "CNI network \"egret\": prevResult: Required value: CHECK needs the result of "
            "the ADD");
  e = Fail(Env("CHECK"), Config(R"(,"prevResult":{"ips":[{"address":"x"}]})"));
  EXPECT_EQ(e.code, code::kInvalidConfig);
  EXPECT_THAT(e.msg, HasSubstr("prevResult.ips[0].address: \"x\" is not an address"));
}

TEST(CniInvocation, StatusAndGcIgnoreAttachmentEnvironment) {
  CniEnv env = {{"CNI_COMMAND", "STATUS"}, {"CNI_IFNAME", "bad/name"}, {"CNI_ARGS", "junk"}};
  EXPECT_EQ(Parse(env, Config()).request.command, CniCommand::kStatus);
  env["CNI_COMMAND"] = "GC";
  EXPECT_EQ(Parse(env, Config(R"(,"cni.dev/valid-attachments":[])")).request.command,
            CniCommand::kGc);
}

TEST(CniInvocation, GcAttachments) {
  CniEnv env = {{"CNI_COMMAND", "GC"}, {"CNI_PATH", "/opt/cni/bin"}};
  CniInvocation inv = Parse(
      env,
      Config(
          R"(,"cni.dev/valid-attachments":[{"containerID":"a1","ifname":"eth0"},)"
          R"({"containerID":"b2","ifname":"net1"}])"));
  ASSERT_EQ(inv.request.valid_attachments.size(), 2u);
  EXPECT_EQ(inv.request.valid_attachments[1], (CniAttachment{"b2", "net1"}));
  // The key of earlier drafts, still sent by some runtimes, is read when the new one is absent.
  inv = Parse(env, Config(R"(,"cni.dev/attachments":[{"containerID":"c3","ifname":"eth0"}])"));
  EXPECT_EQ(inv.request.valid_attachments, (std::vector<CniAttachment>{{"c3", "eth0"}}));
  inv = Parse(
      env,
      Config(
          R"(,"cni.dev/valid-attachments":[],"cni.dev/attachments":[{"containerID":"c3",)"
          R"("ifname":"eth0"}])"));
  EXPECT_TRUE(inv.request.valid_attachments.empty());

  // Other commands accept the list and ignore it.
  EXPECT_TRUE(Parse(Env("ADD"), Config(R"(,"cni.dev/valid-attachments":{"x":1})"))
                  .request.valid_attachments.empty());

  CniError e = Fail(env, Config());
  EXPECT_EQ(e.code, code::kInvalidConfig);
  EXPECT_EQ(e.msg,
            "CNI network \"egret\": cni.dev/valid-attachments: Required value: GC needs "
            "the list of attachments to keep");
  e = Fail(
      env,
      Config(
          R"(,"cni.dev/valid-attachments":[{"containerID":"-a","ifname":"eth0"},)"
          R"({"containerID":"b"}])"));
  EXPECT_EQ(e.code, code::kInvalidConfig);
  EXPECT_THAT(e.msg, HasSubstr("cni.dev/valid-attachments[0].containerID: \"-a\" is not a valid "
                               "container ID"));
  EXPECT_THAT(e.msg, HasSubstr("cni.dev/valid-attachments[1].ifname: Required value"));
  EXPECT_THAT(Fail(env, Config(R"(,"cni.dev/valid-attachments":{})")).msg,
              HasSubstr("cni.dev/valid-attachments: must be a list, not object"));
}

TEST(CniInvocation, StdinDecoding) {
  CniError e = Fail(Env("ADD"), std::string(kMaxStdinBytes + 1, ' '));
  EXPECT_EQ(e.code, code::kDecodeFailure);
  EXPECT_EQ(e.msg, "the network configuration on stdin is larger than 1 MiB");
  EXPECT_TRUE(ParseInvocation(Env("ADD"), Config() + std::string(kMaxStdinBytes - 100, ' ')).ok());
  e = Fail(Env("ADD"), "{\"cniVersion\":");
  EXPECT_EQ(e.code, code::kDecodeFailure);
  EXPECT_THAT(e.msg,
              HasSubstr("the network configuration on stdin is not valid JSON: JSON line 1"));
  e = Fail(Env("ADD"), "");
  EXPECT_EQ(e.code, code::kDecodeFailure);
  e = Fail(Env("ADD"), "[1]");
  EXPECT_EQ(e.code, code::kDecodeFailure);
  EXPECT_EQ(e.msg, "the network configuration on stdin must be a JSON object, not list");
  e = Fail(Env("ADD"), Config() + Config());
  EXPECT_EQ(e.code, code::kDecodeFailure);
}

TEST(CniInvocation, CniVersion) {
  for (std::string_view v : kSupportedVersions) {
    EXPECT_EQ(Parse(Env("ADD"), Config("", std::string(v))).request.cni_version, v);
  }
  CniError e = Fail(Env("ADD"), Config("", "0.3.1"));
  EXPECT_EQ(e.code, code::kIncompatibleVersion);
  EXPECT_EQ(e.msg,
            "CNI network \"egret\": cniVersion: \"0.3.1\" is not supported: use 0.4.0, "
            "1.0.0 or 1.1.0");
  EXPECT_EQ(e.version, "1.1.0");
  e = Fail(Env("ADD"), R"({"name":"egret","type":"egret"})");
  EXPECT_EQ(e.code, code::kInvalidConfig);
  EXPECT_EQ(e.msg, "CNI network \"egret\": cniVersion: Required value");
  e = Fail(Env("ADD"), R"({"cniVersion":1.1,"name":"egret","type":"egret"})");
  EXPECT_EQ(e.code, code::kInvalidConfig);
  EXPECT_EQ(e.msg, "CNI network \"egret\": cniVersion: must be a string, not number");
  EXPECT_TRUE(ParseInvocation(Env("ADD"), Config(R"(,"cniVersions":["1.0.0","1.1.0"])")).ok());
  EXPECT_THAT(Fail(Env("ADD"), Config(R"(,"cniVersions":"1.1.0")")).msg,
              HasSubstr("cniVersions: must be a list, not string"));
}

TEST(CniInvocation, ErrorsSpeakTheConfigurationsVersion) {
  CniError e = Fail(Without(Env("ADD"), "CNI_IFNAME"), Config("", "0.4.0"));
  EXPECT_EQ(e.code, code::kInvalidEnvironment);
  EXPECT_EQ(e.version, "0.4.0");
  EXPECT_EQ(Fail(Env("ADD"), Config(R"(,"mtu":1)", "1.0.0")).version, "1.0.0");
  EXPECT_EQ(Fail(Without(Env("ADD"), "CNI_IFNAME"), "junk").version, "1.1.0");
}

TEST(CniInvocation, NameAndType) {
  EXPECT_EQ(Fail(Env("ADD"), R"({"cniVersion":"1.1.0","type":"egret"})").msg,
            "CNI network: name: Required value");
  EXPECT_THAT(Fail(Env("ADD"), R"({"cniVersion":"1.1.0","name":"a b","type":"egret"})").msg,
              HasSubstr("CNI network: name: \"a b\" is not a valid network name"));
  EXPECT_EQ(Fail(Env("ADD"), R"({"cniVersion":"1.1.0","name":"egret"})").msg,
            "CNI network \"egret\": type: Required value");
  CniError e = Fail(Env("ADD"), R"({"cniVersion":"1.1.0","name":"egret","type":"bridge"})");
  EXPECT_EQ(e.code, code::kInvalidConfig);
  EXPECT_EQ(e.msg,
            "CNI network \"egret\": type: \"bridge\" is not this plugin's type: use "
            "\"egret\"");
}

TEST(CniInvocation, PluginFields) {
  CniInvocation inv = Parse(
      Env("ADD"), Config(R"(,"agentSocket":"/var/run/egret/a.sock","agentTimeoutSeconds":5)"));
  EXPECT_EQ(inv.agent_socket, "/var/run/egret/a.sock");
  EXPECT_EQ(inv.agent_timeout_seconds, 5);
  EXPECT_EQ(Fail(Env("ADD"), Config(R"(,"agentSocket":"egret.sock")")).msg,
            "CNI network \"egret\": agentSocket: \"egret.sock\" is not an absolute path");
  EXPECT_EQ(Fail(Env("ADD"), Config(R"(,"agentSocket":7)")).msg,
            "CNI network \"egret\": agentSocket: must be a string, not integer");
  EXPECT_EQ(Fail(Env("ADD"), Config(R"(,"agentTimeoutSeconds":0)")).msg,
            "CNI network \"egret\": agentTimeoutSeconds: 0 is out of range 1-600");
}

TEST(CniInvocation, MtuAndPassThroughObjects) {
  EXPECT_EQ(Parse(Env("ADD"), Config(R"(,"mtu":9000)")).request.mtu, 9000);
  EXPECT_EQ(Parse(Env("ADD"), Config(R"(,"mtu":576)")).request.mtu, 576);
  CniError e = Fail(Env("ADD"), Config(R"(,"mtu":575)"));
  EXPECT_EQ(e.code, code::kInvalidConfig);
  EXPECT_EQ(e.msg, "CNI network \"egret\": mtu: 575 is out of range 576-65535");
  EXPECT_EQ(Fail(Env("ADD"), Config(R"(,"mtu":"1500")")).msg,
            "CNI network \"egret\": mtu: must be an integer, not string");
  EXPECT_EQ(Fail(Env("ADD"), Config(R"(,"runtimeConfig":[])")).msg,
            "CNI network \"egret\": runtimeConfig: must be an object, not list");
  EXPECT_EQ(Fail(Env("ADD"), Config(R"(,"args":"x")")).msg,
            "CNI network \"egret\": args: must be an object, not string");
  // Every configuration problem is reported at once.
  EXPECT_EQ(Fail(Env("ADD"), R"({"cniVersion":"1.1.0","name":"egret","type":"x","mtu":1})").msg,
            "CNI network \"egret\": type: \"x\" is not this plugin's type: use \"egret\"; mtu: 1 "
            "is out of range 576-65535");
}

TEST(CniInvocation, Version) {
  CniEnv env = {{"CNI_COMMAND", "VERSION"}};
  EXPECT_EQ(Parse(env, "").request.command, CniCommand::kVersion);
  EXPECT_EQ(Parse(env, R"({"cniVersion":"1.0.0"})").request.cni_version, "1.0.0");
  // A version the plugin does not speak is the question VERSION exists for: no error.
  EXPECT_EQ(Parse(env, R"({"cniVersion":"2.0.0"})").request.cni_version, "2.0.0");
  EXPECT_EQ(Fail(env, "{").code, code::kDecodeFailure);
}

}  // namespace
}  // namespace egret::cni
