// SqliteStore leases, timed by a fake clock: acquire, conflict, renew, expiry takeover, release.
#include <gtest/gtest.h>

#include "adapters/store_sqlite/sqlite_store.h"
#include "adapters/store_sqlite/store_test_util.h"

namespace egret::adapters {
namespace {

using namespace store_testing;  // NOLINT: test helpers
using std::chrono::milliseconds;

class SqliteLeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(dir_.File("s.db"), StoreOptions(1000, clock_.AsFunction()));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  TempDir dir_;
  FakeClock clock_{1714557600000};  // 2024-05-01T10:00:00Z
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteLeaseTest, AcquireFreeLease) {
  auto lease = store_->AcquireLease("leader", "node-a", milliseconds(15000));
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  EXPECT_EQ(lease->holder, "node-a");
  EXPECT_EQ(lease->expires_unix_ms, clock_.Now() + 15000);
  EXPECT_GT(lease->resource_version, 0);
  auto got = store_->GetLease("leader");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->holder, "node-a");
  EXPECT_EQ(got->resource_version, lease->resource_version);
}

TEST_F(SqliteLeaseTest, OtherHolderConflictsUntilExpiry) {
  ASSERT_TRUE(store_->AcquireLease("leader", "node-a", milliseconds(15000)).ok());
  clock_.Advance(5000);
  auto taken = store_->AcquireLease("leader", "node-b", milliseconds(15000));
  ASSERT_EQ(taken.status().code(), Code::kConflict);
  EXPECT_EQ(taken.status().message(),
            R"(lease "leader" is held by "node-a" until 2024-05-01T10:00:15Z (10000 ms from now);)"
            " retry after it expires");
  clock_.Advance(10000);  // exactly at expiry: free
  auto takeover = store_->AcquireLease("leader", "node-b", milliseconds(15000));
  ASSERT_TRUE(takeover.ok()) << takeover.status().ToString();
  EXPECT_EQ(takeover->holder, "node-b");
  EXPECT_EQ(store_->GetLease("leader")->holder, "node-b");
}

TEST_F(SqliteLeaseTest, HolderRenews) {
  auto first = store_->AcquireLease("leader", "node-a", milliseconds(15000));
  ASSERT_TRUE(first.ok());
  clock_.Advance(10000);
  auto renewed = store_->AcquireLease("leader", "node-a", milliseconds(15000));
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->expires_unix_ms, clock_.Now() + 15000);
  EXPECT_GT(renewed->resource_version, first->resource_version);
}

TEST_F(SqliteLeaseTest, ReleaseOnlyByHolder) {
  ASSERT_TRUE(store_->AcquireLease("leader", "node-a", milliseconds(15000)).ok());
  Status wrong = store_->ReleaseLease("leader", "node-b");
  ASSERT_EQ(wrong.code(), Code::kConflict);
  EXPECT_EQ(wrong.message(), R"(lease "leader" is held by "node-a", not by "node-b"; only the )"
                             "holder can release it");
  ASSERT_TRUE(store_->ReleaseLease("leader", "node-a").ok());
  EXPECT_EQ(store_->GetLease("leader").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->ReleaseLease("leader", "node-a").code(), Code::kNotFound);
  // Free again: anyone may take it at once.
  EXPECT_TRUE(store_->AcquireLease("leader", "node-b", milliseconds(1000)).ok());
}

TEST_F(SqliteLeaseTest, LeasesSurviveReopen) {
  ASSERT_TRUE(store_->AcquireLease("leader", "node-a", milliseconds(15000)).ok());
  store_.reset();
  auto store = SqliteStore::Open(dir_.File("s.db"), StoreOptions(1000, clock_.AsFunction()));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->AcquireLease("leader", "node-b", milliseconds(1)).status().code(),
            Code::kConflict);
}

TEST_F(SqliteLeaseTest, RejectsBadArguments) {
  auto no_ttl = store_->AcquireLease("leader", "node-a", milliseconds(0));
  ASSERT_EQ(no_ttl.status().code(), Code::kInvalid);
  EXPECT_EQ(no_ttl.status().message(), R"(lease "leader": ttl must be positive, got 0 ms)");
  auto no_holder = store_->AcquireLease("leader", "", milliseconds(10));
  ASSERT_EQ(no_holder.status().code(), Code::kInvalid);
  EXPECT_EQ(no_holder.status().message(), R"(lease "leader": the holder must not be empty)");
  EXPECT_EQ(store_->AcquireLease("", "node-a", milliseconds(10)).status().code(), Code::kInvalid);
}

}  // namespace
}  // namespace egret::adapters
