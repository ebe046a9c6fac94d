#include "controller/api_server.h"

#include "api/protocol.h"
#include "common/strings.h"
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
  return op == "watch" || op == "watchEgress" || op == "watchPolicy";
}

doc::Value ApiServer::Handle(const doc::Value& request) {
  std::string op = api::StringField(request, "op");
  if (op == "policyApplied") return PolicyApplied(request);
  if (op == "policyStatus") return PolicyStatus();
  return service_->Handle(request);
}

doc::Value ApiServer::PolicyApplied(const doc::Value& request) {
  if (!options_.policy) {
    return api::ErrorReply(UnavailableError("this server computes no policy state"));
  }
  std::string node = api::StringField(request, "node");
  auto version = ParseInt(api::StringField(request, "version"));
  if (node.empty()) return api::ErrorReply(InvalidError("policyApplied: node: Required value"));
  if (!version) {
    return api::ErrorReply(InvalidError("policyApplied: version: must be a decimal string"));
  }
  if (!options_.policy->states().ReportApplied(node, *version)) {
    // A version of an earlier controller run: the agent reports again after its next apply.
    return api::ErrorReply(InvalidError("policyApplied: version " + std::to_string(*version) +
                                        " was not handed out by this controller"));
  }
  return api::OkReply();
}

doc::Value ApiServer::PolicyStatus() {
  if (!options_.policy) {
    return api::ErrorReply(UnavailableError("this server computes no policy state"));
  }
  doc::Value reply = api::OkReply();
  doc::Value& items = reply.Set("policies", doc::Value::EmptyList());
  for (const PolicyRealization& r : options_.policy->Realization()) {
    doc::Value v = doc::Value::EmptyMap();
    v.Set("kind", std::string(core::netpol::PolicyKindName(r.policy.kind)));
    if (!r.policy.namespace_.empty()) v.Set("namespace", r.policy.namespace_);
    v.Set("name", r.policy.name);
    doc::Value& nodes = v.Set("nodes", doc::Value::EmptyList());
    for (const std::string& n : r.nodes) nodes.Append(n);
    v.Set("realized", static_cast<int64_t>(r.realized));
    v.Set("summary", "realized on " + std::to_string(r.realized) + " of " +
                         std::to_string(r.nodes.size()) + " nodes");
    items.Append(std::move(v));
  }
  return reply;
}

void ApiServer::StreamState(api::Connection& conn, const doc::Value& request,
                            const std::atomic<bool>& stopping, NodeStateHub* hub) {
  const std::string op = api::StringField(request, "op");
  const std::string node = api::StringField(request, "node");
  if (!hub) {
    (void)conn.Write(api::ErrorReply(UnavailableError("this server does not serve " + op)));
    return;
  }
  if (node.empty()) {
    (void)conn.Write(api::ErrorReply(InvalidError(op + ": node: Required value")));
    return;
  }
  if (!conn.Write(api::OkReply()).ok()) return;
  int64_t version = 0;
  auto last_frame = std::chrono::steady_clock::now();
  while (!stopping) {
    auto next = hub->WaitNewer(node, version, api::FrameServer::kPollInterval);
    if (next) {
      // Assembled as text: the hub holds the state already encoded.
      std::string frame;
      if (next->delta && next->base == version) {
        // The subscriber has the state the delta starts from: send just the difference.
        frame = R"({"type":"DELTA","base":")" + std::to_string(next->base) +
                R"(","version":")" + std::to_string(next->version) + R"(","delta":)" +
                *next->delta + "}";
      } else {
        frame = R"({"type":"STATE","version":")" + std::to_string(next->version) +
                R"(","state":)" + next->state + "}";
      }
      version = next->version;
      if (!conn.WriteEncoded(frame).ok()) return;
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
  const std::string op = api::StringField(request, "op");
  if (op == "watchEgress") {
    StreamState(conn, request, stopping, options_.egress ? &options_.egress->states() : nullptr);
    return;
  }
  if (op == "watchPolicy") {
    StreamState(conn, request, stopping, options_.policy ? &options_.policy->states() : nullptr);
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
