#include "agent/policy_view.h"

#include "api/client.h"
#include "api/protocol.h"
#include "common/file_util.h"
#include "common/log.h"
#include "common/strings.h"
#include "core/netpol/state_codec.h"
#include "doc/json.h"

namespace egret::agent {
namespace {

using std::chrono::milliseconds;

constexpr std::chrono::seconds kStreamSilence{15};

}  // namespace

void PolicyView::Start() {
  LoadPersisted();
  loop_.Start([this] { Run(); });
}

void PolicyView::Stop() { loop_.Stop(); }

PolicySnapshot PolicyView::Snapshot() const {
  std::lock_guard lock(mu_);
  return snap_;
}

void PolicyView::ReportApplied(int64_t version) {
  std::lock_guard lock(mu_);
  to_report_ = std::max(to_report_, version);
}

void PolicyView::Replace(core::netpol::NodePolicyState state, int64_t version) {
  bool same = false;
  {
    std::lock_guard lock(mu_);
    same = snap_.known && snap_.from_controller && snap_.state == state;
    snap_.known = true;
    snap_.from_controller = true;
    snap_.version = version;
    if (!same) snap_.state = std::move(state);
  }
  // A new version of the same state (after a controller restart) is reported by the agent's
  // next reconcile, which has nothing to re-program.
  if (same) {
    if (on_change_) on_change_();
    return;
  }
  std::string text = doc::ToJson(core::netpol::EncodeNodePolicyState(Snapshot().state));
  if (Status st = WriteFileAtomic(state_path_, text); !st.ok()) {
    EGRET_LOG(kWarn, "agent") << "cannot persist the policy state: " << st.message();
  }
  if (on_change_) on_change_();
}

void PolicyView::SendReport() {
  int64_t version;
  {
    std::lock_guard lock(mu_);
    version = to_report_;
  }
  if (version <= reported_) return;
  auto client = api::Client::Connect(server_, token_);
  if (!client.ok()) return;  // tried again after the next frame
  doc::Value req = doc::Value::EmptyMap();
  req.Set("op", "policyApplied");
  req.Set("node", node_);
  req.Set("version", std::to_string(version));
  auto reply = client->Call(req);
  Status st = reply.ok() ? api::StatusOfReply(*reply) : reply.status();
  // An Invalid answer means the version is from an earlier controller run: nothing to retry.
  if (st.ok() || st.code() == Code::kInvalid) reported_ = version;
  if (!st.ok()) EGRET_LOG(kDebug, "agent") << "policyApplied: " << st.message();
}

void PolicyView::Run() {
  milliseconds backoff(100);
  while (!loop_.stopping()) {
    Status st = Follow();
    if (loop_.stopping()) return;
    EGRET_LOG(kInfo, "agent") << "policy view: " << st.message() << "; retrying";
    loop_.WaitFor(backoff);
    backoff = std::min(backoff * 2, milliseconds(2000));
  }
}

Status PolicyView::Follow() {
  ASSIGN_OR_RETURN(api::Client client, api::Client::Connect(server_, token_));
  doc::Value req = doc::Value::EmptyMap();
  req.Set("op", "watchPolicy");
  req.Set("node", node_);
  ASSIGN_OR_RETURN(api::WatchSession stream, api::Client::Stream(std::move(client), req));
  auto last_frame = std::chrono::steady_clock::now();
  while (!loop_.stopping()) {
    SendReport();
    auto frame = stream.Next(milliseconds(100));
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
    if (!state) return InvalidError("watchPolicy: a STATE frame without state");
    ASSIGN_OR_RETURN(core::netpol::NodePolicyState decoded,
                     core::netpol::DecodeNodePolicyState(*state));
    Replace(std::move(decoded), ParseInt(api::StringField(*frame, "version")).value_or(0));
  }
  return Status::Ok();
}

void PolicyView::LoadPersisted() {
  auto text = ReadFile(state_path_);
  if (!text.ok()) {
    if (text.status().code() != Code::kNotFound) {
      EGRET_LOG(kWarn, "agent") << "ignoring " << text.status().message();
    }
    return;
  }
  auto v = doc::ParseJson(*text);
  auto state = v.ok() ? core::netpol::DecodeNodePolicyState(*v)
                      : StatusOr<core::netpol::NodePolicyState>(v.status());
  if (!state.ok()) {
    EGRET_LOG(kWarn, "agent") << "ignoring unreadable " << state_path_ << ": "
                              << state.status().message();
    return;
  }
  std::lock_guard lock(mu_);
  snap_.state = std::move(*state);
  snap_.known = true;
  EGRET_LOG(kInfo, "agent") << "loaded the last policy state (" << snap_.state.pods.size()
                            << " selected pods) from " << state_path_;
}

}  // namespace egret::agent
