// ApiServer: the controller's API on a FrameServer — ApiService answers requests, watch
// requests become event streams fed by the store, and watchEgress requests become streams of
// one node's egress state fed by the EgressStateHub.
#pragma once

#include <chrono>
#include <string>

#include "api/frame_server.h"
#include "controller/api_service.h"
#include "controller/egress_state_hub.h"

namespace egret::controller {

struct ApiServerOptions {
  std::string token;  // see api::FrameServerOptions
  // Idle watch streams get a BOOKMARK this often, so both ends notice a dead peer.
  std::chrono::milliseconds bookmark_interval{5000};
  // Serves watchEgress streams when set (the controller's EgressStatusController feeds it).
  EgressStateHub* egress = nullptr;
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
  // watchEgress {node}: the node's egress state now and after every change, as STATE frames.
  void StreamEgress(api::Connection& conn, const doc::Value& request,
                    const std::atomic<bool>& stopping);

  ApiService* service_;
  ApiServerOptions options_;
  api::FrameServer server_;  // last: stopped before the members its threads use go away
};

}  // namespace egret::controller
