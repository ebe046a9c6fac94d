// Every rule for the values a runtime passes: one valid and one or more invalid cases each.
#include "cni/cni_validate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace egret::cni {
namespace {

using ::testing::HasSubstr;

std::string ArgsError(std::string_view text) {
  model::FieldErrors errs;
  ParseCniArgs(text, "CNI_ARGS", &errs);
  std::string out;
  for (const auto& e : errs.errors()) out += e.path + ": " + e.reason + "\n";
  return out;
}

TEST(CniValidate, ContainerId) {
  EXPECT_EQ(CheckContainerId("3f6940ab5ab4"), "");
  EXPECT_EQ(CheckContainerId("a_b.c-d"), "");
  EXPECT_EQ(CheckContainerId(std::string(255, 'a')), "");
  EXPECT_EQ(CheckContainerId(""), "Required value");
  EXPECT_EQ(CheckContainerId("-abc"),
            "\"-abc\" is not a valid container ID: use letters, digits, '_', '.' and '-', "
            "starting with a letter or digit");
  EXPECT_THAT(CheckContainerId("ab/c"), HasSubstr("is not a valid container ID"));
  EXPECT_THAT(CheckContainerId("ab c"), HasSubstr("is not a valid container ID"));
  EXPECT_THAT(CheckContainerId(std::string(256, 'a')), HasSubstr("is longer than 255 characters"));
}

TEST(CniValidate, LongValuesAreQuotedShort) {
  std::string reason = CheckContainerId(std::string(100000, 'a'));
  EXPECT_LT(reason.size(), 120u);
  EXPECT_THAT(reason, HasSubstr("\"... is longer")) << reason;
}

TEST(CniValidate, NetworkName) {
  EXPECT_EQ(CheckNetworkName("egret"), "");
  EXPECT_EQ(CheckNetworkName("k8s-pod.network_1"), "");
  EXPECT_EQ(CheckNetworkName(""), "Required value");
  EXPECT_EQ(CheckNetworkName(".egret"),
            "\".egret\" is not a valid network name: use letters, digits, '_', '.' and '-', "
            "starting with a letter or digit");
}

TEST(CniValidate, Ifname) {
  EXPECT_EQ(CheckIfname("eth0"), "");
  EXPECT_EQ(CheckIfname("net1.100"), "");
  EXPECT_EQ(CheckIfname(std::string(15, 'e')), "");
  EXPECT_EQ(CheckIfname(""), "Required value");
  EXPECT_EQ(CheckIfname(std::string(16, 'e')), "\"eeeeeeeeeeeeeeee\" is longer than 15 characters");
  EXPECT_EQ(CheckIfname("."), "\".\" is not a valid interface name: \".\" and \"..\" are reserved");
  EXPECT_EQ(CheckIfname(".."),
            "\"..\" is not a valid interface name: \".\" and \"..\" are reserved");
  const std::string bad_chars =
      " is not a valid interface name: use no '/', ':', whitespace or control character";
  EXPECT_EQ(CheckIfname("eth/0"), "\"eth/0\"" + bad_chars);
  EXPECT_EQ(CheckIfname("eth:0"), "\"eth:0\"" + bad_chars);
  EXPECT_EQ(CheckIfname("eth 0"), "\"eth 0\"" + bad_chars);
  EXPECT_EQ(CheckIfname("eth\t0"), "\"eth\\t0\"" + bad_chars);
  EXPECT_EQ(CheckIfname(std::string("eth\x01", 4)), "\"eth\\u0001\"" + bad_chars);
}

TEST(CniValidate, NetnsPath) {
  EXPECT_EQ(CheckNetnsPath("/proc/4242/ns/net"), "");
  EXPECT_EQ(CheckNetnsPath("/run/netns/cni-1234"), "");
  EXPECT_EQ(CheckNetnsPath("/var/run/netns/cni-1234"), "");
  EXPECT_EQ(CheckNetnsPath(""), "Required value");
  EXPECT_EQ(CheckNetnsPath("run/netns/x"), "\"run/netns/x\" is not an absolute path");
  const std::string unnormal = " is not a normalized path: remove \"//\", \".\" and \"..\"";
  EXPECT_EQ(CheckNetnsPath("/run/netns/../../etc/passwd"),
            "\"/run/netns/../../etc/passwd\"" + unnormal);
  EXPECT_EQ(CheckNetnsPath("/run/netns/./x"), "\"/run/netns/./x\"" + unnormal);
  EXPECT_EQ(CheckNetnsPath("/run//netns/x"), "\"/run//netns/x\"" + unnormal);
  EXPECT_EQ(CheckNetnsPath("/run/netns/x/"), "\"/run/netns/x/\"" + unnormal);
  const std::string elsewhere =
      " is not a network namespace path: use a path under /proc/, /run/netns/ or "
      "/var/run/netns/";
  EXPECT_EQ(CheckNetnsPath("/tmp/netns"), "\"/tmp/netns\"" + elsewhere);
  EXPECT_EQ(CheckNetnsPath("/run/netnsx/a"), "\"/run/netnsx/a\"" + elsewhere);
  EXPECT_EQ(CheckNetnsPath("/proc"), "\"/proc\"" + elsewhere);
  EXPECT_EQ(CheckNetnsPath(std::string("/run/netns/a\nb")),
            "\"/run/netns/a\\nb\" contains a control character");
  EXPECT_THAT(CheckNetnsPath("/proc/" + std::string(5000, 'a')),
              HasSubstr("is longer than 4095 characters"));
}

TEST(CniValidate, SocketPath) {
  EXPECT_EQ(CheckSocketPath("/run/egret/agent.sock"), "");
  EXPECT_EQ(CheckSocketPath("agent.sock"), "\"agent.sock\" is not an absolute path");
  EXPECT_THAT(CheckSocketPath("/" + std::string(107, 's')),
              HasSubstr("is longer than 107 characters, the limit of a unix socket path"));
}

TEST(CniValidate, Mac) {
  EXPECT_EQ(CheckMac("0a:58:0a:f4:01:05"), "");
  EXPECT_EQ(CheckMac("0A:58:0A:F4:01:05"), "");
  EXPECT_EQ(CheckMac("80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0b:7c:31"), "");
  EXPECT_EQ(CheckMac("0a:58:0a:f4:01"),
            "\"0a:58:0a:f4:01\" is not a MAC address: write 6 hex octets like "
            "\"0a:58:0a:f4:01:05\"");
  EXPECT_THAT(CheckMac("0a:58:0a:f4:01:5"), HasSubstr("is not a MAC address"));
  EXPECT_THAT(CheckMac("0g:58:0a:f4:01:05"), HasSubstr("is not a MAC address"));
}

TEST(CniValidate, CniArgs) {
  model::FieldErrors errs;
  auto args =
      ParseCniArgs("IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1.a;K8S_POD_UID=u-1;",
                   "CNI_ARGS", &errs);
  EXPECT_TRUE(errs.empty());
  EXPECT_EQ(args.size(), 4u);
  EXPECT_EQ(args["K8S_POD_NAME"], "web-1.a");
  EXPECT_EQ(ArgsError(""), "");
  EXPECT_EQ(ArgsError("A=x=y"), "");  // the value is everything after the first '='
  EXPECT_EQ(ArgsError("A"), "CNI_ARGS: \"A\" is not a KEY=VALUE pair\n");
  EXPECT_EQ(ArgsError("A-B=1"),
            "CNI_ARGS: \"A-B\" is not a valid argument name: use letters, digits and '_'\n");
  EXPECT_EQ(ArgsError("=1"),
            "CNI_ARGS: \"\" is not a valid argument name: use letters, digits and '_'\n");
  EXPECT_EQ(ArgsError("A=1;A=2"), "CNI_ARGS: \"A\" is given twice: give each argument once\n");
  EXPECT_EQ(ArgsError(std::string("A=\x1b", 3)),
            "CNI_ARGS: the value of \"A\" contains a control character\n");
}

TEST(CniValidate, PodIdentityArgs) {
  EXPECT_EQ(ArgsError("K8S_POD_NAMESPACE=Shop;K8S_POD_NAME=web"),
            "CNI_ARGS[K8S_POD_NAMESPACE]: \"Shop\" is not a valid namespace name: use at most 63 "
            "lower-case letters, digits and '-', starting and ending with a letter or digit\n");
  EXPECT_EQ(ArgsError("K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web_1"),
            "CNI_ARGS[K8S_POD_NAME]: \"web_1\" is not a valid pod name: use at most 253 "
            "lower-case letters, digits, '-' and '.'\n");
  EXPECT_EQ(ArgsError("K8S_POD_NAME=web"),
            "CNI_ARGS: give both K8S_POD_NAMESPACE and K8S_POD_NAME, or neither\n");
}

}  // namespace
}  // namespace egret::cni
