// BackgroundThread: the one way Egret runs a long-lived loop on its own thread. The loop body
// checks stopping() and waits with WaitFor(), which returns at once when Stop() is called, so
// no loop sleeps past a shutdown and none polls a flag.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace egret {

class BackgroundThread {
 public:
  BackgroundThread() = default;
  BackgroundThread(const BackgroundThread&) = delete;
  BackgroundThread& operator=(const BackgroundThread&) = delete;
  ~BackgroundThread() { Stop(); }

  // Runs `body` once on a new thread; the body loops while !stopping(). Precondition: not
  // running.
  void Start(std::function<void()> body) {
    {
      std::lock_guard lock(mu_);
      stop_ = false;
    }
    thread_ = std::thread(std::move(body));
  }

  // Asks the body to return, wakes its WaitFor and joins. Idempotent.
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  bool stopping() const {
    std::lock_guard lock(mu_);
    return stop_;
  }

  // Waits up to `d`; false when stopping (at once, also mid-wait), true when the time passed.
  bool WaitFor(std::chrono::milliseconds d) {
    std::unique_lock lock(mu_);
    return !cv_.wait_for(lock, d, [this] { return stop_; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace egret
