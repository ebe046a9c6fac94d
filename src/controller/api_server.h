// ApiServer: the controller's API on a FrameServer — ApiService answers requests, watch
// requests become event streams fed by the store, watchEgress requests become streams of one
// node's egress state fed by the EgressStateHub, and watchPolicy requests streams of one node's
// policy state fed by the PolicyStateHub.
#pragma once

#include <chrono>
#include <string>

#include "api/frame_server.h"
#include "controller/api_service.h"
#include "controller/egress_state_hub.h"
#include "controller/policy_state_hub.h"

namespace egret::controller {

struct ApiServerOptions {
  std::string token;  // see api::FrameServerOptions
  // Idle watch streams get a BOOKMARK this often, so both ends notice a dead peer.
  std::chrono::milliseconds bookmark_interval{5000};
  // Serves watchEgress streams when set (the controller's EgressStatusController feeds it).
  EgressStateHub* egress = nullptr;
  // Serves watchPolicy streams and the policyApplied / policyStatus requests when set (the
  // controller's PolicyController feeds it).
  PolicyStateHub* policy = nullptr;
};

class ApiServer : public api::FrameHandler {
 public:
  ApiServer(ApiService* service, ApiServerOptions options)
      : service_(service), options_(options), server_(this, {.token = options.token}) {}
  ~ApiServer() override { Stop(); }

  Status Serve(api::Listener listener) { return server_.Serve(std::move(listener)); }
  void Stop() { server_.Stop(); }

  // policyApplied {node, version}: an agent has programmed that version of its policy state.
  // policyStatus: every policy with the nodes it must be realized on and how many have.
  // Everything else goes to the ApiService.
  doc::Value Handle(const doc::Value& request) override;
  bool IsStream(const doc::Value& request) override;
  void Stream(api::Connection& conn, const doc::Value& request,
              const std::atomic<bool>& stopping) override;

 private:
  // watchEgress / watchPolicy {node}: the node's state from `hub` now and after every change,
  // as STATE frames; BOOKMARK frames when idle.
  void StreamState(api::Connection& conn, const doc::Value& request,
                   const std::atomic<bool>& stopping, NodeStateHub* hub);
  doc::Value PolicyApplied(const doc::Value& request);
  doc::Value PolicyStatus();

  ApiService* service_;
  ApiServerOptions options_;
  api::FrameServer server_;  // last: stopped before the members its threads use go away
};

}  // namespace egret::controller
