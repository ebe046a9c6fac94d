// NftDriver against the real kernel (root only), each test in its own throwaway namespaces.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

#include "adapters/nftables/nft_driver.h"
#include "adapters/nftables/nft_test_util.h"

namespace egret::nftables {
namespace {

using testing::NewNftNs;
using testing::NftNs;
using testing::Objects;

TEST(KernelNftDriver, AppliesAndListsATable) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<NftNs> lab = NewNftNs("nft-apply");
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  NftDriver& nft = *lab->nft;

  EXPECT_FALSE(nft.TableExists("inet", "t1").value());
  Status st = nft.Apply(
      "table inet t1 {\n"
      "\tset s { type ipv4_addr; flags interval; elements = { 10.0.0.0/24, 10.0.2.7 } }\n"
      "\tchain c {\n\t\tip saddr @s counter accept\n\t}\n"
      "}\n");
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(nft.TableExists("inet", "t1").value());
  EXPECT_FALSE(nft.TableExists("ip", "t1").value());

  StatusOr<doc::Value> listing = nft.ListTable("inet", "t1");
  ASSERT_TRUE(listing.ok()) << listing.status().ToString();
  std::vector<doc::Value> sets = Objects(*listing, "set");
  ASSERT_EQ(sets.size(), 1u);
  EXPECT_EQ(sets[0].Find("name")->as_string(), "s");
  ASSERT_NE(sets[0].Find("elem"), nullptr);
  EXPECT_EQ(sets[0].Find("elem")->as_list().size(), 2u);
  EXPECT_EQ(Objects(*listing, "chain").size(), 1u);
  EXPECT_EQ(Objects(*listing, "rule").size(), 1u);
}

TEST(KernelNftDriver, MissingTableIsNotFound) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<NftNs> lab = NewNftNs("nft-missing");
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  StatusOr<doc::Value> listing = lab->nft->ListTable("inet", "nope");
  EXPECT_EQ(listing.status().code(), Code::kNotFound);
  EXPECT_EQ(listing.status().message(), "nftables table inet \"nope\" not found");
}

TEST(KernelNftDriver, RejectsUnknownFamilyAndEmptyName) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<NftNs> lab = NewNftNs("nft-args");
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  StatusOr<bool> bad_family = lab->nft->TableExists("inet4", "x");
  EXPECT_EQ(bad_family.status().code(), Code::kInvalid);
  EXPECT_NE(bad_family.status().message().find("is not one of ip, ip6, inet"), std::string::npos);
  EXPECT_EQ(lab->nft->ListTable("inet", "").status().code(), Code::kInvalid);
}

// Listing goes through libnftables' JSON commands, so names that are keywords of the text
// language ("fwd") still work.
TEST(KernelNftDriver, ListsTablesNamedLikeKeywords) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<NftNs> lab = NewNftNs("nft-keyword");
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  EXPECT_FALSE(lab->nft->TableExists("inet", "fwd").value());
  EXPECT_EQ(lab->nft->ListTable("inet", "fwd").status().code(), Code::kNotFound);
}

TEST(KernelNftDriver, SyntaxErrorNamesLineAndChangesNothing) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<NftNs> lab = NewNftNs("nft-syntax");
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  Status st = lab->nft->Apply("table inet t2 {\n\tchain c {\n\t\tfoo bar\n\t}\n}\n");
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_EQ(st.message(),
            "nftables rejected the script, nothing was changed: line 3, column 3: No symbol type "
            "information (in \"foo bar\")");
  EXPECT_FALSE(lab->nft->TableExists("inet", "t2").value());
}

// The kernel refuses the last command (the table does not exist): the whole batch is aborted,
// the tables created before it in the same script do not appear.
TEST(KernelNftDriver, KernelRejectionAbortsTheWholeTransaction) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<NftNs> lab = NewNftNs("nft-abort");
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  Status st = lab->nft->Apply("table inet a {}\ntable ip b {}\ndelete table inet nope\n");
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("line 3, column 19: Could not process rule: No such file or "
                              "directory (in \"delete table inet nope\")"),
            std::string::npos)
      << st.message();
  EXPECT_FALSE(lab->nft->TableExists("inet", "a").value());
  EXPECT_FALSE(lab->nft->TableExists("ip", "b").value());
}

// A driver acts in the namespace it was created in, whichever thread calls it.
TEST(KernelNftDriver, ActsInTheNamespaceOfCreate) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<NftNs> a = NewNftNs("nft-a");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  StatusOr<NftNs> b = NewNftNs("nft-b");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_TRUE(a->nft->Apply("table ip only_in_a {}\n").ok());
  EXPECT_TRUE(a->nft->TableExists("ip", "only_in_a").value());
  EXPECT_FALSE(b->nft->TableExists("ip", "only_in_a").value());
}

// Drops CAP_NET_ADMIN from the calling thread's effective set (capabilities are per thread).
bool DropNetAdminOfThisThread() {
  __user_cap_header_struct header{.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  __user_cap_data_struct data[2] = {};
  if (::syscall(SYS_capget, &header, data) != 0) return false;
  data[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
  return ::syscall(SYS_capset, &header, data) == 0;
}

// The kernel checks the caller as well as the socket's opener: a thread without CAP_NET_ADMIN is
// refused, and the driver says so. (libnftables also prints "(you must be root)" to stderr.)
TEST(KernelNftDriver, WithoutCapNetAdminIsFailedPrecondition) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<NftNs> lab = NewNftNs("nft-eperm");
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  Status st;
  bool dropped = false;
  std::thread([&] {
    dropped = DropNetAdminOfThisThread();
    if (dropped) st = lab->nft->Apply("table inet t {}\n");
  }).join();
  ASSERT_TRUE(dropped);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition) << st.ToString();
  EXPECT_NE(st.message().find("Operation not permitted"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("needs CAP_NET_ADMIN"), std::string::npos) << st.message();
  EXPECT_FALSE(lab->nft->TableExists("inet", "t").value());
}

// Drivers of different namespaces may run on different threads at once (libnftables' process-wide
// state is serialised inside the driver).
TEST(KernelNftDriver, DriversOfTwoNamespacesWorkInParallel) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<NftNs> a = NewNftNs("nft-par-a");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  StatusOr<NftNs> b = NewNftNs("nft-par-b");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto churn = [](NftDriver* nft, Status* result) {
    for (int i = 0; i < 25 && result->ok(); ++i) {
      *result = nft->Apply(
          "table inet t {}\ndelete table inet t\ntable inet t {\n"
          "\tset s { type ipv4_addr; elements = { 10.0.0." +
          std::to_string(i) + " } }\n}\n");
      if (result->ok() && !nft->TableExists("inet", "t").value()) {
        *result = InternalError("table vanished");
      }
    }
  };
  Status ra, rb;
  std::thread ta(churn, a->nft.get(), &ra);
  std::thread tb(churn, b->nft.get(), &rb);
  ta.join();
  tb.join();
  EXPECT_TRUE(ra.ok()) << ra.ToString();
  EXPECT_TRUE(rb.ok()) << rb.ToString();
}

}  // namespace
}  // namespace egret::nftables
