#include "controller/api_server.h"

#include "api/protocol.h"
#include "common/strings.h"
#include "core/egress/node_state_codec.h"
#include "doc/json.h"

namespace egret::controller {
namespace {

doc::Value EventFrame(const ports::WatchEvent& ev) {
  doc::Value f = doc::Value::EmptyMap();
  f.Set("type", ports::EventTypeName(ev.type));
  auto obj = doc::ParseJson(ev.object.json);
  f.Set("object", obj.ok() ? std::move(*obj) : doc::Value());
  return f;
}

}  // namespace

bool ApiServer::IsStream(const doc::Value& request) {
  std::string op = api::StringField(request, "op");
  return op == "watch" || op == "watchEgress";
}

void ApiServer::StreamEgress(api::Connection& conn, const doc::Value& request,
                             const std::atomic<bool>& stopping) {
  std::string node = api::StringField(request, "node");
  if (!options_.egress) {
    (void)conn.Write(api::ErrorReply(UnavailableError("this server computes no egress state")));
    return;
  }
  if (node.empty()) {
    (void)conn.Write(api::ErrorReply(InvalidError("watchEgress: node: Required value")));
    return;
  }
  if (!conn.Write(api::OkReply()).ok()) return;
  int64_t version = 0;
  auto last_frame = std::chrono::steady_clock::now();
  while (!stopping) {
    auto next = options_.egress->WaitNewer(node, version, api::FrameServer::kPollInterval);
    if (next) {
      version = next->version;
      doc::Value f = doc::Value::EmptyMap();
      f.Set("type", "STATE");
      f.Set("version", std::to_string(version));
      f.Set("state", core::egress::EncodeNodeEgressState(next->state));
      if (!conn.Write(f).ok()) return;
      last_frame = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_frame >= options_.bookmark_interval) {
      doc::Value bm = doc::Value::EmptyMap();
      bm.Set("type", "BOOKMARK");
      if (!conn.Write(bm).ok()) return;
      last_frame = std::chrono::steady_clock::now();
    }
  }
}

void ApiServer::Stream(api::Connection& conn, const doc::Value& request,
                       const std::atomic<bool>& stopping) {
  if (api::StringField(request, "op") == "watchEgress") {
    StreamEgress(conn, request, stopping);
    return;
  }
  std::string kind = api::StringField(request, "kind");
  if (!kind.empty()) {
    const model::KindInfo* info = model::FindKind(kind);
    if (!info) {
      (void)conn.Write(api::ErrorReply(
          NotFoundError("the server doesn't have a resource type " + Quote(kind))));
      return;
    }
    kind = std::string(info->kind);
  }
  int64_t last = ParseInt(api::StringField(request, "resourceVersion")).value_or(0);
  auto stream = service_->store()->Watch(kind, last);
  if (!stream.ok()) {
    (void)conn.Write(api::ErrorReply(stream.status()));
    return;
  }
  if (!conn.Write(api::OkReply()).ok()) return;
  auto last_frame = std::chrono::steady_clock::now();
  while (!stopping) {
    auto events = (*stream)->Next(api::FrameServer::kPollInterval);
    if (!events.ok()) {
      (void)conn.Write(api::ErrorReply(events.status()));
      return;
    }
    for (const ports::WatchEvent& ev : *events) {
      if (!conn.Write(EventFrame(ev)).ok()) return;
      last = ev.object.resource_version;
      last_frame = std::chrono::steady_clock::now();
    }
    if (std::chrono::steady_clock::now() - last_frame >= options_.bookmark_interval) {
      // The version of the last event delivered: resuming from it loses nothing.
      doc::Value bm = doc::Value::EmptyMap();
      bm.Set("type", "BOOKMARK");
      bm.Set("resourceVersion", std::to_string(last));
      if (!conn.Write(bm).ok()) return;
      last_frame = std::chrono::steady_clock::now();
    }
  }
}

}  // namespace egret::controller
