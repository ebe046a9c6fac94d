// FrameServer: serves newline-delimited JSON frames on listeners (unix sockets; TCP only with a
// token), one thread per connection, reaping ended connections. What a frame means is the
// handler's business: the controller's API and the agent's local API both sit on it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/transport.h"
#include "doc/value.h"

namespace egret::api {

class FrameHandler {
 public:
  virtual ~FrameHandler() = default;
  // One request, one reply. Must not throw.
  virtual doc::Value Handle(const doc::Value& request) = 0;
  // Requests that turn the connection into a stream (e.g. "watch"). Stream() owns the
  // connection until it returns; it must return soon after `stopping` becomes true.
  virtual bool IsStream(const doc::Value& /*request*/) { return false; }
  virtual void Stream(Connection& /*conn*/, const doc::Value& /*request*/,
                      const std::atomic<bool>& /*stopping*/) {}
};

struct FrameServerOptions {
  // Required of every TCP connection as its first request ({"op":"auth","token":...}).
  // Unix-socket clients are trusted by the socket's file permissions.
  std::string token;
};

class FrameServer {
 public:
  // How often blocked reads and accepts look at the stop flag.
  static constexpr std::chrono::milliseconds kPollInterval{200};
  // A connection that has not authenticated by then is closed (TCP listeners).
  static constexpr std::chrono::seconds kAuthDeadline{5};
  // Connections served at once; more are refused until some end.
  static constexpr size_t kMaxConnections = 1024;

  FrameServer(FrameHandler* handler, FrameServerOptions options)
      : handler_(handler), options_(std::move(options)) {}
  ~FrameServer() { Stop(); }

  // Starts accepting on the listener in a background thread. TCP listeners need a token.
  Status Serve(Listener listener);
  // Stops accepting, ends every connection and joins all threads. Idempotent.
  void Stop();

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void AcceptLoop(Listener* listener);
  void ServeConnection(Connection conn, bool needs_auth);
  // Starts fn on a worker thread; false when at the connection limit or out of threads.
  bool Track(std::function<void()> fn);

  FrameHandler* handler_;
  FrameServerOptions options_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::list<std::unique_ptr<Listener>> listeners_;
  std::vector<std::thread> accept_threads_;
  std::list<Worker> workers_;
};

}  // namespace egret::api
