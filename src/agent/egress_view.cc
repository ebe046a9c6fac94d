#include "agent/egress_view.h"

#include "api/client.h"
#include "api/protocol.h"
#include "common/file_util.h"
#include "common/log.h"
#include "core/egress/node_state_codec.h"
#include "doc/json.h"

namespace egret::agent {
namespace {

using std::chrono::milliseconds;

constexpr std::chrono::seconds kStreamSilence{15};

}  // namespace

void EgressView::Start() {
  LoadPersisted();
  loop_.Start([this] { Run(); });
}

void EgressView::Stop() { loop_.Stop(); }

EgressSnapshot EgressView::Snapshot() const {
  std::lock_guard lock(mu_);
  return snap_;
}

void EgressView::Replace(core::egress::NodeEgressState state) {
  {
    std::lock_guard lock(mu_);
    bool same = snap_.known && snap_.from_controller && snap_.state == state;
    snap_.known = true;
    snap_.from_controller = true;
    if (same) return;
    snap_.state = std::move(state);
  }
  std::string text = doc::ToJson(core::egress::EncodeNodeEgressState(Snapshot().state));
  if (Status st = WriteFileAtomic(state_path_, text); !st.ok()) {
    EGRET_LOG(kWarn, "agent") << "cannot persist the egress state: " << st.message();
  }
  if (on_change_) on_change_();
}

void EgressView::Run() {
  milliseconds backoff(100);
  while (!loop_.stopping()) {
    Status st = Follow();
    if (loop_.stopping()) return;
    EGRET_LOG(kInfo, "agent") << "egress view: " << st.message() << "; retrying";
    loop_.WaitFor(backoff);
    backoff = std::min(backoff * 2, milliseconds(2000));
  }
}

Status EgressView::Follow() {
  ASSIGN_OR_RETURN(api::Client client, api::Client::Connect(server_, token_));
  doc::Value req = doc::Value::EmptyMap();
  req.Set("op", "watchEgress");
  req.Set("node", node_);
  ASSIGN_OR_RETURN(api::WatchSession stream, api::Client::Stream(std::move(client), req));
  auto last_frame = std::chrono::steady_clock::now();
  while (!loop_.stopping()) {
    auto frame = stream.Next(milliseconds(500));
    if (!frame.ok()) {
      if (frame.status().code() != Code::kDeadlineExceeded) return frame.status();
      if (std::chrono::steady_clock::now() - last_frame > kStreamSilence) {
        return UnavailableError("no word from the controller for 15 s");
      }
      continue;
    }
    last_frame = std::chrono::steady_clock::now();
    if (api::StringField(*frame, "type") != "STATE") continue;
    const doc::Value* state = frame->Find("state");
    if (!state) return InvalidError("watchEgress: a STATE frame without state");
    ASSIGN_OR_RETURN(core::egress::NodeEgressState decoded,
                     core::egress::DecodeNodeEgressState(*state));
    Replace(std::move(decoded));
  }
  return Status::Ok();
}

void EgressView::LoadPersisted() {
  auto text = ReadFile(state_path_);
  if (!text.ok()) {
    if (text.status().code() != Code::kNotFound) {
      EGRET_LOG(kWarn, "agent") << "ignoring " << text.status().message();
    }
    return;
  }
  auto v = doc::ParseJson(*text);
  auto state = v.ok() ? core::egress::DecodeNodeEgressState(*v)
                      : StatusOr<core::egress::NodeEgressState>(v.status());
  if (!state.ok()) {
    EGRET_LOG(kWarn, "agent") << "ignoring unreadable " << state_path_ << ": "
                              << state.status().message();
    return;
  }
  std::lock_guard lock(mu_);
  snap_.state = std::move(*state);
  snap_.known = true;
  EGRET_LOG(kInfo, "agent") << "loaded the last egress state (" << snap_.state.targets.size()
                            << " targets) from " << state_path_;
}

}  // namespace egret::agent
