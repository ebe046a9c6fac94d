// ApiServer: serves ApiService over listeners (unix socket, and TCP with a token), one thread
// per connection. Watch requests turn their connection into an event stream fed by the store.
#pragma once

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/transport.h"
#include "controller/api_service.h"

namespace egret::controller {

struct ApiServerOptions {
  // Required of every TCP connection as its first request ({"op":"auth","token":...}).
  // Unix-socket clients are trusted by the socket's file permissions.
  std::string token;
  // Idle streams get a BOOKMARK this often, so both ends notice a dead peer.
  std::chrono::milliseconds bookmark_interval{5000};
};

class ApiServer {
 public:
  ApiServer(ApiService* service, ApiServerOptions options)
      : service_(service), options_(std::move(options)) {}
  ~ApiServer() { Stop(); }

  // Starts accepting on the listener in a background thread. TCP listeners need a token.
  Status Serve(api::Listener listener);
  // Stops accepting, ends every connection and joins all threads. Idempotent.
  void Stop();

 private:
  void AcceptLoop(api::Listener* listener);
  void ServeConnection(api::Connection conn, bool needs_auth);
  void StreamWatch(api::Connection& conn, const doc::Value& request);
  void Track(std::function<void()> fn);

  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  ApiService* service_;
  ApiServerOptions options_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::list<std::unique_ptr<api::Listener>> listeners_;
  std::vector<std::thread> accept_threads_;
  std::list<Worker> workers_;
};

}  // namespace egret::controller
