#include "agent/cluster_view.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "doc/yaml.h"

namespace egret::agent {
namespace {

TEST(NodeNetOf, ReadsInternalIpsAndPodCidrs) {
  auto docs = doc::ParseYaml(R"(
apiVersion: v1
kind: Node
metadata: {name: n1}
spec: {podCIDRs: [10.244.0.0/24, "fd00:10:244::/64"]}
status:
  addresses:
  - {type: InternalIP, address: 172.18.0.11}
  - {type: Hostname, address: n1}
  - {type: InternalIP, address: "fd00:18::11"}
)");
  ASSERT_TRUE(docs.ok());
  core::netplan::NodeNet n = NodeNetOf((*docs)[0]);
  EXPECT_EQ(n.name, "n1");
  ASSERT_EQ(n.underlay.size(), 2u);
  EXPECT_EQ(n.underlay[1].ToString(), "fd00:18::11");
  ASSERT_EQ(n.pod_cidrs.size(), 2u);
}

// With the controller unreachable, a new view starts from what the last one persisted: a
// restarted agent programs the datapath without the controller.
TEST(ClusterView, StartsFromThePersistedViewWhenTheControllerIsAway) {
  std::string dir = std::filesystem::temp_directory_path() /
                    ("egret-view-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = dir + "/cluster-view.json";
  std::string fake = "{\"facts\":{\"clusterCIDRs\":[\"10.244.0.0/16\"],\"serviceCIDRs\":[],"
                     "\"extraInternalCIDRs\":[]},\"nodes\":[{\"name\":\"n2\",\"underlay\":["
                     "\"172.18.0.12\"],\"podCIDRs\":[\"10.244.1.0/24\"],\"labels\":{\"a\":\"b\"}}]}";
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs(fake.c_str(), f);
  std::fclose(f);
  auto nowhere = api::Address::Parse("unix:" + dir + "/no-controller.sock");
  ClusterView view(*nowhere, "", path, [] {});
  view.Start();
  ViewSnapshot s = view.Snapshot();
  view.Stop();
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(s.from_controller);
  ASSERT_EQ(s.nodes.count("n2"), 1u);
  EXPECT_EQ(s.nodes["n2"].pod_cidrs[0].ToString(), "10.244.1.0/24");
  EXPECT_EQ(s.node_labels["n2"]["a"], "b");
  ASSERT_EQ(s.facts.cluster_cidrs.size(), 1u);
}

}  // namespace
}  // namespace egret::agent
