#include "lab/lab_args.h"

#include <gtest/gtest.h>

namespace egret::lab {
namespace {

void ExpectInvalid(const Status& st, std::string_view part) {
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find(part), std::string::npos) << st.message();
}

TEST(ParseServePorts, AcceptsProtocolsPortsAndNames) {
  auto ports = ParseServePorts("tcp:80=serve-80-tcp,UDP:53", "--serve", true);
  ASSERT_TRUE(ports.ok()) << ports.status().message();
  ASSERT_EQ(ports->size(), 2u);
  EXPECT_EQ((*ports)[0], (ServePort{model::Protocol::kTCP, 80, "serve-80-tcp"}));
  EXPECT_EQ((*ports)[1], (ServePort{model::Protocol::kUDP, 53, ""}));
  EXPECT_EQ(ServePortsText(*ports), "tcp:80=serve-80-tcp,udp:53");
}

TEST(ParseServePorts, RefusesMistakes) {
  ExpectInvalid(ParseServePorts("80", "--serve", true).status(),
                "--serve \"80\": use PROTO:PORT[=NAME]");
  ExpectInvalid(ParseServePorts("sctp:80", "--serve", true).status(),
                "\"sctp\" is not a protocol: use tcp, udp or ws");
  ExpectInvalid(ParseServePorts("tcp:0", "--serve", true).status(),
                "\"0\" is not a port number (1-65535)");
  ExpectInvalid(ParseServePorts("tcp:65536", "--serve", true).status(), "is not a port number");
  ExpectInvalid(ParseServePorts("tcp:80=", "--serve", true).status(),
                "the name after '=' is empty");
  ExpectInvalid(ParseServePorts("tcp:80,tcp:80", "--serve", true).status(),
                "the same protocol and port is given twice");
  ExpectInvalid(ParseServePorts("tcp:80,,udp:80", "--serve", true).status(), "empty item");
  ExpectInvalid(ParseServePorts("tcp:80=web", "--serve", false).status(),
                "port names are only for pod ports");
}

TEST(ParseServePorts, SamePortOnBothProtocolsIsFine) {
  EXPECT_TRUE(ParseServePorts("tcp:80,udp:80", "--serve", false).ok());
}

TEST(ParseServePorts, WebSocketIsServedOverTcp) {
  auto ports = ParseServePorts("ws:8080=serve-ws,WS:81,udp:8080", "--serve", true);
  ASSERT_TRUE(ports.ok()) << ports.status().message();
  ASSERT_EQ(ports->size(), 3u);
  EXPECT_EQ((*ports)[0],
            (ServePort{model::Protocol::kTCP, 8080, "serve-ws", ProbeApp::kWebSocket}));
  EXPECT_EQ((*ports)[1], (ServePort{model::Protocol::kTCP, 81, "", ProbeApp::kWebSocket}));
  EXPECT_EQ((*ports)[2].app, ProbeApp::kSourceLine);
  // The text form (state.json, `lab serve --listen`) parses back to the same ports.
  EXPECT_EQ(ServePortsText(*ports), "ws:8080=serve-ws,ws:81,udp:8080");
  auto again = ParseServePorts(ServePortsText(*ports), "port", true);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *ports);
}

TEST(ParseServePorts, TcpAndWsCannotShareAPort) {
  ExpectInvalid(ParseServePorts("tcp:80,ws:80", "--serve", false).status(),
                "--serve \"ws:80\": tcp and ws cannot share TCP port 80");
  ExpectInvalid(ParseServePorts("ws:80,ws:80", "--serve", false).status(),
                "the same protocol and port is given twice");
  EXPECT_TRUE(ParseServePorts("ws:80,udp:80", "--serve", false).ok());
}

TEST(ParseLabels, FullSets) {
  auto labels = ParseLabels("app=web,tier=,team=a=b", "--labels");
  ASSERT_TRUE(labels.ok());
  EXPECT_EQ(*labels,
            (std::map<std::string, std::string>{{"app", "web"}, {"team", "a=b"}, {"tier", ""}}));
  auto empty = ParseLabels("", "labels");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(ParseLabels, RefusesMistakes) {
  ExpectInvalid(ParseLabels("app", "--labels").status(),
                "--labels \"app\": use KEY=VALUE (VALUE may be empty)");
  ExpectInvalid(ParseLabels("=web", "--labels").status(), "use KEY=VALUE");
  ExpectInvalid(ParseLabels("a=1,a=2", "--labels").status(), "label \"a\" is given twice");
}

TEST(ParsePodRef, NamespaceSlashName) {
  auto ref = ParsePodRef("default/web-1.x");
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->ns, "default");
  EXPECT_EQ(ref->name, "web-1.x");
  EXPECT_EQ(ref->ToString(), "default/web-1.x");
}

TEST(ParsePodRef, RefusesMistakes) {
  ExpectInvalid(ParsePodRef("web").status(), "pod \"web\": use NAMESPACE/POD");
  ExpectInvalid(ParsePodRef("Def/web").status(), "namespace \"Def\" is not a valid name");
  ExpectInvalid(ParsePodRef("a.b/web").status(), "namespace \"a.b\" is not a valid name");
  ExpectInvalid(ParsePodRef("default/").status(), "name \"\" is not a valid name");
  ExpectInvalid(ParsePodRef("default/a/b").status(), "name \"a/b\" is not a valid name");
}

TEST(ParseEndpoint, AllKinds) {
  auto pod = ParseEndpoint("default/web", "FROM", false);
  ASSERT_TRUE(pod.ok());
  EXPECT_EQ(pod->kind, Endpoint::Kind::kPod);
  auto ext = ParseEndpoint("ext:out", "TO", true);
  ASSERT_TRUE(ext.ok());
  EXPECT_EQ(ext->kind, Endpoint::Kind::kExternal);
  EXPECT_EQ(ext->name, "out");
  auto node = ParseEndpoint("node:n2", "FROM", false);
  ASSERT_TRUE(node.ok());
  EXPECT_EQ(node->kind, Endpoint::Kind::kNode);
  auto bare = ParseEndpoint("n1", "TARGET", false);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->kind, Endpoint::Kind::kName);
  auto addr = ParseEndpoint("fd00:10:96::1", "TO", true);
  ASSERT_TRUE(addr.ok());
  EXPECT_EQ(addr->kind, Endpoint::Kind::kAddress);
  EXPECT_EQ(addr->ToString(), "fd00:10:96::1");
}

TEST(ParseEndpoint, RefusesMistakes) {
  ExpectInvalid(ParseEndpoint("10.0.0.1", "FROM", false).status(),
                "FROM \"10.0.0.1\": an address is not allowed here");
  ExpectInvalid(ParseEndpoint("ext:", "TO", true).status(), "\"\" is not a valid name");
  ExpectInvalid(ParseEndpoint("ext:Web", "TO", true).status(), "\"Web\" is not a valid name");
  ExpectInvalid(ParseEndpoint("pod:x", "TO", true).status(),
                "use NS/POD, ext:NAME, node:NAME or an IP address");
}

TEST(ParseIntFlag, Range) {
  EXPECT_EQ(*ParseIntFlag("3", "--nodes", 1, 64), 3);
  ExpectInvalid(ParseIntFlag("0", "--nodes", 1, 64).status(),
                "--nodes \"0\": must be a whole number from 1 to 64");
  ExpectInvalid(ParseIntFlag("x", "--nodes", 1, 64).status(), "must be a whole number");
}

TEST(ParseCommaList, Items) {
  auto items = ParseCommaList("a/b, ext:c", "--from");
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(*items, (std::vector<std::string>{"a/b", "ext:c"}));
  ExpectInvalid(ParseCommaList("a,", "--from").status(), "--from \"a,\": empty item");
}

}  // namespace
}  // namespace egret::lab
