#include "api/client.h"

#include "api/protocol.h"

namespace egret::api {
namespace {

doc::Value Request(std::string_view op) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("op", op);
  return v;
}

doc::Value RefValue(const std::string& kind, const std::string& ns, const std::string& name) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("kind", kind);
  if (!ns.empty()) v.Set("namespace", ns);
  v.Set("name", name);
  return v;
}

}  // namespace

StatusOr<Client> Client::Connect(const Address& addr, const std::string& token) {
  ASSIGN_OR_RETURN(Connection conn, Dial(addr));
  Client c(std::move(conn));
  if (!token.empty()) {
    doc::Value auth = Request("auth");
    auth.Set("token", token);
    auto reply = c.Call(auth);
    if (!reply.ok()) return reply.status();
  }
  return c;
}

StatusOr<doc::Value> Client::Call(const doc::Value& request) {
  RETURN_IF_ERROR(conn_.Write(request));
  ASSIGN_OR_RETURN(doc::Value reply, conn_.Read(kCallTimeout));
  RETURN_IF_ERROR(StatusOfReply(reply));
  return reply;
}

StatusOr<doc::Value> Client::Get(const std::string& kind, const std::string& ns,
                                 const std::string& name) {
  doc::Value req = Request("get");
  req.Set("ref", RefValue(kind, ns, name));
  ASSIGN_OR_RETURN(doc::Value reply, Call(req));
  const doc::Value* obj = reply.Find("object");
  if (!obj) return InternalError("get: reply without object");
  return *obj;
}

StatusOr<doc::Value> Client::List(const std::string& kind, const std::string& ns,
                                  const std::string& label_selector) {
  doc::Value req = Request("list");
  req.Set("kind", kind);
  if (!ns.empty()) req.Set("namespace", ns);
  if (!label_selector.empty()) req.Set("labelSelector", label_selector);
  return Call(req);
}

StatusOr<std::vector<ApplyOutcome>> Client::Apply(const std::vector<doc::Value>& objects,
                                                  const std::string& default_namespace,
                                                  bool dry_run) {
  doc::Value req = Request("apply");
  req.Set("objects", doc::Value(doc::List(objects.begin(), objects.end())));
  if (!default_namespace.empty()) req.Set("defaultNamespace", default_namespace);
  if (dry_run) req.Set("dryRun", true);
  ASSIGN_OR_RETURN(doc::Value reply, Call(req));
  std::vector<ApplyOutcome> out;
  const doc::Value* results = reply.Find("results");
  if (results && results->is_list()) {
    for (const doc::Value& r : results->as_list()) {
      out.push_back({StringField(r, "kind"), StringField(r, "namespace"), StringField(r, "name"),
                     StringField(r, "action"), StringField(r, "resourceVersion")});
    }
  }
  return out;
}

StatusOr<std::vector<DeleteOutcome>> Client::Delete(const std::vector<ObjectRefArg>& refs,
                                                    bool ignore_not_found) {
  doc::Value req = Request("delete");
  doc::Value& list = req.Set("refs", doc::Value::EmptyList());
  for (const ObjectRefArg& r : refs) list.Append(RefValue(r.kind, r.namespace_, r.name));
  if (ignore_not_found) req.Set("ignoreNotFound", true);
  ASSIGN_OR_RETURN(doc::Value reply, Call(req));
  std::vector<DeleteOutcome> out;
  const doc::Value* deleted = reply.Find("deleted");
  if (deleted && deleted->is_list()) {
    for (const doc::Value& r : deleted->as_list()) {
      out.push_back({StringField(r, "kind"), StringField(r, "namespace"), StringField(r, "name")});
    }
  }
  return out;
}

StatusOr<doc::Value> Client::PutStatus(const std::string& kind, const std::string& ns,
                                       const std::string& name, const doc::Value& status,
                                       std::optional<int64_t> expected_version) {
  doc::Value req = Request("putStatus");
  req.Set("ref", RefValue(kind, ns, name));
  req.Set("status", status);
  if (expected_version) req.Set("resourceVersion", std::to_string(*expected_version));
  ASSIGN_OR_RETURN(doc::Value reply, Call(req));
  const doc::Value* obj = reply.Find("object");
  if (!obj) return InternalError("putStatus: reply without object");
  return *obj;
}

StatusOr<WatchSession> Client::Watch(Client client, const std::string& kind,
                                     int64_t from_version) {
  doc::Value req = Request("watch");
  if (!kind.empty()) req.Set("kind", kind);
  req.Set("resourceVersion", std::to_string(from_version));
  return Stream(std::move(client), req);
}

StatusOr<WatchSession> Client::Stream(Client client, const doc::Value& request) {
  auto reply = client.Call(request);
  if (!reply.ok()) return reply.status();
  return WatchSession(std::move(client.conn_));
}

StatusOr<doc::Value> WatchSession::Next(std::chrono::milliseconds timeout) {
  ASSIGN_OR_RETURN(doc::Value frame, conn_.Read(timeout));
  if (frame.Find("ok")) {
    RETURN_IF_ERROR(StatusOfReply(frame));
  }
  return frame;
}

}  // namespace egret::api
