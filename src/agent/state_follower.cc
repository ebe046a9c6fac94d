#include "agent/state_follower.h"

#include <algorithm>

#include "api/client.h"
#include "api/protocol.h"
#include "common/file_util.h"
#include "common/log.h"
#include "common/strings.h"
#include "doc/json.h"

namespace egret::agent {
namespace {

using std::chrono::milliseconds;

// The controller sends a bookmark at least every 5 s; silence means a dead peer or a
// half-open connection: reconnect rather than keep a stale state.
constexpr std::chrono::seconds kStreamSilence{15};

}  // namespace

void StateFollower::Start() {
  LoadPersisted();
  loop_.Start([this] { Run(); });
}

void StateFollower::Stop() { loop_.Stop(); }

void StateFollower::ReportApplied(int64_t version) {
  std::lock_guard lock(mu_);
  to_report_ = std::max(to_report_, version);
}

void StateFollower::Run() {
  milliseconds backoff(100);
  while (!loop_.stopping()) {
    Status st = Follow();
    if (loop_.stopping()) return;
    EGRET_LOG(kInfo, "agent") << opts_.what << " view: " << st.message() << "; retrying";
    loop_.WaitFor(backoff);
    backoff = std::min(backoff * 2, milliseconds(2000));
  }
}

Status StateFollower::Follow() {
  ASSIGN_OR_RETURN(api::Client client, api::Client::Connect(opts_.server, opts_.token));
  doc::Value req = doc::Value::EmptyMap();
  req.Set("op", opts_.watch_op);
  req.Set("node", opts_.node);
  ASSIGN_OR_RETURN(api::WatchSession stream, api::Client::Stream(std::move(client), req));
  auto last_frame = std::chrono::steady_clock::now();
  while (!loop_.stopping()) {
    SendReport();
    auto frame = stream.Next(milliseconds(opts_.report_op.empty() ? 500 : 100));
    if (!frame.ok()) {
      if (frame.status().code() != Code::kDeadlineExceeded) return frame.status();
      if (std::chrono::steady_clock::now() - last_frame > kStreamSilence) {
        return UnavailableError("no word from the controller for 15 s");
      }
      continue;
    }
    last_frame = std::chrono::steady_clock::now();
    RETURN_IF_ERROR(Take(*frame));
  }
  return Status::Ok();
}

Status StateFollower::Take(const doc::Value& frame) {
  const std::string type = api::StringField(frame, "type");
  int64_t version = ParseInt(api::StringField(frame, "version")).value_or(0);
  if (type == "STATE") {
    const doc::Value* state = frame.Find("state");
    if (!state) return InvalidError(opts_.watch_op + ": a STATE frame without state");
    ASSIGN_OR_RETURN(bool changed, accept_(*state, version, /*from_disk=*/false));
    if (changed) Persist(*state);
  } else if (type == "DELTA") {
    const doc::Value* delta = frame.Find("delta");
    if (!delta || !apply_delta_) {
      return InvalidError(opts_.watch_op + ": an unexpected DELTA frame");
    }
    int64_t base = ParseInt(api::StringField(frame, "base")).value_or(-1);
    ASSIGN_OR_RETURN(doc::Value state, apply_delta_(*delta, base, version));
    Persist(state);
  } else {
    return Status::Ok();  // BOOKMARK
  }
  if (on_change_) on_change_();
  return Status::Ok();
}

void StateFollower::Persist(const doc::Value& state) {
  if (Status st = WriteFileAtomic(opts_.state_path, doc::ToJson(state)); !st.ok()) {
    EGRET_LOG(kWarn, "agent") << "cannot persist the " << opts_.what << " state: " << st.message();
  }
}

void StateFollower::SendReport() {
  if (opts_.report_op.empty()) return;
  int64_t version;
  {
    std::lock_guard lock(mu_);
    version = to_report_;
  }
  if (version <= reported_) return;
  auto client = api::Client::Connect(opts_.server, opts_.token);
  if (!client.ok()) return;  // tried again after the next frame
  doc::Value req = doc::Value::EmptyMap();
  req.Set("op", opts_.report_op);
  req.Set("node", opts_.node);
  req.Set("version", std::to_string(version));
  auto reply = client->Call(req);
  Status st = reply.ok() ? api::StatusOfReply(*reply) : reply.status();
  // An Invalid answer means the version is from an earlier controller run: nothing to retry.
  if (st.ok() || st.code() == Code::kInvalid) reported_ = version;
  if (!st.ok()) EGRET_LOG(kDebug, "agent") << opts_.report_op << ": " << st.message();
}

void StateFollower::LoadPersisted() {
  auto text = ReadFile(opts_.state_path);
  if (!text.ok()) {
    if (text.status().code() != Code::kNotFound) {
      EGRET_LOG(kWarn, "agent") << "ignoring " << text.status().message();
    }
    return;
  }
  auto v = doc::ParseJson(*text);
  auto accepted = v.ok() ? accept_(*v, 0, /*from_disk=*/true) : StatusOr<bool>(v.status());
  if (!accepted.ok()) {
    EGRET_LOG(kWarn, "agent") << "ignoring unreadable " << opts_.state_path << ": "
                              << accepted.status().message();
    return;
  }
  EGRET_LOG(kInfo, "agent") << "loaded the last " << opts_.what << " state from "
                            << opts_.state_path;
}

}  // namespace egret::agent
