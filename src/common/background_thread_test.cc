#include "common/background_thread.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace egret {
namespace {

TEST(BackgroundThread, StopWakesALongWaitAtOnce) {
  BackgroundThread t;
  std::atomic<bool> woke_by_stop{false};
  t.Start([&] { woke_by_stop = !t.WaitFor(std::chrono::hours(1)); });
  t.Stop();  // would hang for an hour if the wait were a sleep
  EXPECT_TRUE(woke_by_stop);
  EXPECT_TRUE(t.stopping());
}

TEST(BackgroundThread, WaitForReturnsTrueWhenTheTimePasses) {
  BackgroundThread t;
  std::promise<bool> result;
  t.Start([&] { result.set_value(t.WaitFor(std::chrono::milliseconds(1))); });
  auto done = result.get_future();
  // Wait for the body (with a deadline) before stopping, so Stop() cannot cut the wait short.
  ASSERT_EQ(done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(done.get());
  t.Stop();
}

TEST(BackgroundThread, StopIsIdempotentAndRestartable) {
  BackgroundThread t;
  t.Stop();
  std::atomic<int> runs{0};
  t.Start([&] { ++runs; });
  t.Stop();
  t.Start([&] { ++runs; });
  t.Stop();
  EXPECT_EQ(runs, 2);
}

}  // namespace
}  // namespace egret
