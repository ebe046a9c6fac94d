// Replies of the CNI contract and the agent-side dispatcher (cni_backend.h).
#include "cni/cni_backend.h"

#include "cni/cni_validate.h"
#include "common/strings.h"
#include "doc/json.h"

namespace egret::cni {
namespace {

doc::Value OkReply() {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("ok", true);
  return v;
}

std::optional<Code> CodeFromName(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(Code::kInternal); ++i) {
    if (CodeName(static_cast<Code>(i)) == name) return static_cast<Code>(i);
  }
  return std::nullopt;
}

CniError Malformed(std::string_view what, const doc::Value& reply) {
  return MakeCniError(code::kAgentFailed,
                      "the Egret agent sent a malformed reply: " + std::string(what),
                      QuoteShort(doc::ToJson(reply)));
}

CniErrorOr<std::optional<CniResult>> DecodeErrorReply(CniCommand command, const doc::Value& reply) {
  const doc::Value* e = reply.Find("error");
  const doc::Value* name = e ? e->Find("code") : nullptr;
  const doc::Value* message = e ? e->Find("message") : nullptr;
  if (!name || !name->is_string() || !message || !message->is_string()) {
    return Malformed("an error without a code and a message", reply);
  }
  Code c = CodeFromName(name->as_string()).value_or(Code::kInternal);
  int cni_code = CniCodeFor(command, c);
  if (const doc::Value* given = e->Find("cniCode");
      given && given->is_int() && given->as_int() >= 1 && given->as_int() <= 999) {
    cni_code = static_cast<int>(given->as_int());
  }
  return MakeCniError(cni_code, message->as_string(),
                      "agent error " + QuoteShort(name->as_string()));
}

// A request's command when the frame does not decode, for choosing the error's CNI code.
CniCommand CommandOf(const doc::Value& frame) {
  const doc::Value* c = frame.Find("command");
  std::optional<CniCommand> parsed =
      c && c->is_string() ? ParseCommand(c->as_string()) : std::nullopt;
  return parsed.value_or(CniCommand::kAdd);
}

}  // namespace

doc::Value EncodeCniReply(CniCommand command, const Status& status) {
  if (status.ok()) return OkReply();
  doc::Value v = doc::Value::EmptyMap();
  v.Set("ok", false);
  doc::Value& e = v.Set("error", doc::Value::EmptyMap());
  e.Set("code", CodeName(status.code()));
  e.Set("message", status.message());
  e.Set("cniCode", CniCodeFor(command, status.code()));
  return v;
}

doc::Value EncodeCniReply(CniCommand command, const StatusOr<CniResult>& result) {
  if (!result.ok()) return EncodeCniReply(command, result.status());
  doc::Value v = OkReply();
  v.Set("result", EncodeCniResult(*result, kLatestVersion));
  return v;
}

CniErrorOr<std::optional<CniResult>> DecodeCniReply(CniCommand command, const doc::Value& reply) {
  const doc::Value* ok = reply.Find("ok");
  if (!ok || !ok->is_bool()) return Malformed("no \"ok\" field", reply);
  if (!ok->as_bool()) return DecodeErrorReply(command, reply);
  if (command != CniCommand::kAdd) return std::optional<CniResult>();
  const doc::Value* result = reply.Find("result");
  if (!result) return Malformed("an ADD reply without a result", reply);
  model::FieldErrors errs;
  CniResult r = DecodeCniResult(*result, "result", &errs);
  if (!errs.empty()) return Malformed(Join(ErrorLines(errs, ""), "; "), reply);
  return std::optional<CniResult>(std::move(r));
}

doc::Value HandleCniFrame(CniBackend& backend, const doc::Value& frame) {
  StatusOr<CniRequest> req = DecodeCniRequest(frame);
  if (!req.ok()) return EncodeCniReply(CommandOf(frame), req.status());
  switch (req->command) {
    case CniCommand::kAdd:
      return EncodeCniReply(req->command, backend.Add(*req));
    case CniCommand::kDel:
      return EncodeCniReply(req->command, backend.Del(*req));
    case CniCommand::kCheck:
      return EncodeCniReply(req->command, backend.Check(*req));
    case CniCommand::kGc:
      return EncodeCniReply(req->command, backend.Gc(*req));
    case CniCommand::kStatus:
      return EncodeCniReply(req->command, backend.Ready(*req));
    case CniCommand::kVersion:
      break;  // refused by DecodeCniRequest
  }
  return EncodeCniReply(req->command, InternalError("VERSION is answered by the plugin"));
}

}  // namespace egret::cni
