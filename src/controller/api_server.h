// ApiServer: the controller's API on a FrameServer — ApiService answers requests, and watch
// requests become event streams fed by the store.
#pragma once

#include <chrono>
#include <string>

#include "api/frame_server.h"
#include "controller/api_service.h"

namespace egret::controller {

struct ApiServerOptions {
  std::string token;  // see api::FrameServerOptions
  // Idle watch streams get a BOOKMARK this often, so both ends notice a dead peer.
  std::chrono::milliseconds bookmark_interval{5000};
};

class ApiServer : public api::FrameHandler {
 public:
  ApiServer(ApiService* service, ApiServerOptions options)
      : service_(service), options_(options), server_(this, {.token = options.token}) {}
  ~ApiServer() override { Stop(); }

  Status Serve(api::Listener listener) { return server_.Serve(std::move(listener)); }
  void Stop() { server_.Stop(); }

  doc::Value Handle(const doc::Value& request) override { return service_->Handle(request); }
  bool IsStream(const doc::Value& request) override;
  void Stream(api::Connection& conn, const doc::Value& request,
              const std::atomic<bool>& stopping) override;

 private:
  ApiService* service_;
  ApiServerOptions options_;
  api::FrameServer server_;  // last: stopped before the members its threads use go away
};

}  // namespace egret::controller
