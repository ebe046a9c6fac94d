#include "cli/cli.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/client.h"
#include "api/protocol.h"
#include "cli/printers.h"
#include "common/flags.h"
#include "common/strings.h"
#include "doc/json.h"
#include "doc/yaml.h"
#include "model/kinds.h"

namespace egret::cli {
namespace {

const std::vector<FlagSpec>& Specs() {
  static const std::vector<FlagSpec> kSpecs = {
      {"server", "s", true, false,
       "API address: unix:PATH or tcp:HOST:PORT (default $EGRET_SERVER, else "
       "unix:/run/egret/egret.sock)"},
      {"token-file", "", true, false, "token for a TCP server"},
      {"lab", "", true, false, "talk to the controller of the egret lab named LAB"},
      {"namespace", "n", true, false, "namespace (default \"default\")"},
      {"all-namespaces", "A", false, false, "list across all namespaces"},
      {"output", "o", true, false, "yaml, json, wide or name"},
      {"filename", "f", true, true, "file with objects (YAML or JSON), '-' for stdin; repeatable"},
      {"selector", "l", true, false, "label selector, e.g. app=web,tier!=db"},
      {"dry-run", "", false, false, "validate on the server, write nothing"},
      {"ignore-not-found", "", false, false, "delete: a missing object is not an error"},
      {"help", "h", false, false, "show help"},
  };
  return kSpecs;
}

constexpr const char* kUsage =
    "Usage: egret COMMAND [flags]\n\n"
    "Commands:\n"
    "  apply -f FILE|-                  create or update objects (all or nothing)\n"
    "  delete -f FILE | KIND NAME...    delete objects\n"
    "  get KIND [NAME...]               list or show objects (-o yaml|json|wide|name)\n"
    "  describe KIND NAME               show one object in detail\n"
    "  api-resources                    list the kinds and their short names\n"
    "  controller [flags]               run the controller (egret controller --help)\n"
    "  agent [flags]                    run a node agent (egret agent --help)\n"
    "  lab COMMAND                      a cluster on this machine (egret lab --help)\n"
    "  version                          print the version\n\n"
    "Flags:\n";

int Fail(const Status& st) {
  std::string prefix = "error: ";
  if (st.code() != Code::kInvalid || st.message().find('\n') == std::string::npos) {
    switch (st.code()) {
      case Code::kNotFound: prefix = "Error from server (NotFound): "; break;
      case Code::kConflict: prefix = "Error from server (Conflict): "; break;
      case Code::kAlreadyExists: prefix = "Error from server (AlreadyExists): "; break;
      case Code::kGone: prefix = "Error from server (Gone): "; break;
      case Code::kUnauthorized: prefix = "Error from server (Unauthorized): "; break;
      default: break;
    }
  }
  std::fprintf(stderr, "%s%s\n", prefix.c_str(), st.message().c_str());
  return 1;
}

StatusOr<std::string> ReadInput(const std::string& name) {
  std::stringstream ss;
  if (name == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(name);
  if (!in) return InvalidError("cannot read " + Quote(name));
  ss << in.rdbuf();
  return ss.str();
}

struct Context {
  ParsedFlags flags;
  std::string server;
  std::string token;
};

StatusOr<api::Client> Connect(const Context& ctx) {
  ASSIGN_OR_RETURN(api::Address addr, api::Address::Parse(ctx.server));
  auto client = api::Client::Connect(addr, ctx.token);
  if (!client.ok() && client.status().code() == Code::kUnavailable) {
    return UnavailableError("cannot reach the Egret controller at " + addr.ToString() + " (" +
                            client.status().message() +
                            "); is `egret controller` running? (--server, $EGRET_SERVER)");
  }
  return client;
}

// Reads every -f input into raw documents (List kinds expanded by the server's decoder too).
StatusOr<std::vector<doc::Value>> ReadObjects(const Context& ctx) {
  std::vector<std::string> files = ctx.flags.GetAll("filename");
  if (files.empty()) return InvalidError("must specify -f FILE (or -f - for stdin)");
  std::vector<doc::Value> out;
  std::string errors;
  for (const std::string& f : files) {
    ASSIGN_OR_RETURN(std::string text, ReadInput(f));
    auto docs = doc::ParseDocuments(text);
    if (!docs.ok()) return docs.status().WithContext(f == "-" ? "stdin" : f);
    for (doc::Value& d : *docs) {
      const doc::Value* kind = d.Find("kind");
      const doc::Value* items = d.Find("items");
      if (kind && kind->is_string() && kind->as_string() == "List" && items && items->is_list()) {
        for (const doc::Value& item : items->as_list()) out.push_back(item);
      } else {
        out.push_back(std::move(d));
      }
    }
  }
  if (out.empty()) return InvalidError("no objects passed to apply");
  return out;
}

int Apply(const Context& ctx) {
  auto objects = ReadObjects(ctx);
  if (!objects.ok()) return Fail(objects.status());
  // Validate locally first: the same rules the server applies, with no round trip.
  std::string errors;
  for (const doc::Value& d : *objects) {
    auto obj = model::DecodeObject(d, ctx.flags.Get("namespace"));
    if (!obj.ok()) errors += (errors.empty() ? "" : "\n") + obj.status().message();
  }
  if (!errors.empty()) return Fail(InvalidError(errors));
  auto client = Connect(ctx);
  if (!client.ok()) return Fail(client.status());
  auto results = client->Apply(*objects, ctx.flags.Get("namespace"), ctx.flags.Bool("dry-run"));
  if (!results.ok()) return Fail(results.status());
  for (const api::ApplyOutcome& r : *results) {
    const model::KindInfo* k = model::FindKind(r.kind);
    std::string name = k ? TypedName(k->kind, k->api_version, r.name) : r.kind + "/" + r.name;
    std::printf("%s %s\n", name.c_str(), r.action.c_str());
  }
  return 0;
}

int Delete(const Context& ctx) {
  std::vector<api::ObjectRefArg> refs;
  const auto& pos = ctx.flags.positional();
  std::string ns = ctx.flags.Get("namespace");
  if (ctx.flags.Has("filename")) {
    auto objects = ReadObjects(ctx);
    if (!objects.ok()) return Fail(objects.status());
    for (const doc::Value& d : *objects) {
      const doc::Value* md = d.Find("metadata");
      std::string obj_ns = md ? api::StringField(*md, "namespace") : "";
      refs.push_back({api::StringField(d, "kind"), obj_ns.empty() ? ns : obj_ns,
                      md ? api::StringField(*md, "name") : ""});
    }
  } else {
    if (pos.size() < 3) return Fail(InvalidError("usage: egret delete KIND NAME... | -f FILE"));
    for (size_t i = 2; i < pos.size(); ++i) refs.push_back({pos[1], ns, pos[i]});
  }
  auto client = Connect(ctx);
  if (!client.ok()) return Fail(client.status());
  auto deleted = client->Delete(refs, ctx.flags.Bool("ignore-not-found"));
  if (!deleted.ok()) return Fail(deleted.status());
  for (const api::DeleteOutcome& d : *deleted) {
    const model::KindInfo* k = model::FindKind(d.kind);
    std::string typed = k ? TypedName(k->kind, k->api_version, d.name) : d.kind + "/" + d.name;
    size_t slash = typed.rfind('/');
    std::printf("%s %s deleted\n", typed.substr(0, slash).c_str(), Quote(d.name).c_str());
  }
  return 0;
}

int PrintObjects(const Context& ctx, const std::vector<doc::Value>& items, bool single) {
  std::string out = ctx.flags.Get("output");
  doc::Value list = doc::Value::EmptyMap();
  if (!single) {
    list.Set("apiVersion", "v1");
    list.Set("kind", "List");
    list.Set("items", doc::Value(doc::List(items.begin(), items.end())));
  }
  const doc::Value& shown = single ? items.front() : list;
  if (out == "yaml") {
    std::printf("%s", doc::ToYaml(shown).c_str());
  } else if (out == "json") {
    std::printf("%s\n", doc::ToJson(shown, {.pretty = true}).c_str());
  } else if (out == "name") {
    for (const doc::Value& v : items) std::printf("%s\n", TypedName(v).c_str());
  } else if (out.empty() || out == "wide") {
    TableOptions opts{.wide = out == "wide",
                      .with_namespace = ctx.flags.Bool("all-namespaces"),
                      .with_kind = false,
                      .now_unix = static_cast<long long>(std::time(nullptr))};
    std::printf("%s", FormatTable(items, opts).c_str());
  } else {
    return Fail(InvalidError("unknown output format " + Quote(out) + ": use yaml, json, wide or name"));
  }
  return 0;
}

int Get(const Context& ctx, bool describe) {
  const auto& pos = ctx.flags.positional();
  if (pos.size() < 2 || (describe && pos.size() < 3)) {
    return Fail(InvalidError(describe ? "usage: egret describe KIND NAME"
                                      : "usage: egret get KIND [NAME...]"));
  }
  const model::KindInfo* kind = model::FindKind(pos[1]);
  if (!kind) {
    return Fail(NotFoundError("the server doesn't have a resource type " + Quote(pos[1]) +
                              " (see egret api-resources)"));
  }
  auto client = Connect(ctx);
  if (!client.ok()) return Fail(client.status());
  std::string ns = ctx.flags.Bool("all-namespaces") ? "" : ctx.flags.Get("namespace", "default");
  std::vector<doc::Value> items;
  if (pos.size() > 2) {
    for (size_t i = 2; i < pos.size(); ++i) {
      auto obj = client->Get(std::string(kind->kind), ns, pos[i]);
      if (!obj.ok()) return Fail(obj.status());
      items.push_back(std::move(*obj));
    }
  } else {
    auto reply = client->List(std::string(kind->kind), ns, ctx.flags.Get("selector"));
    if (!reply.ok()) return Fail(reply.status());
    if (const doc::Value* list = reply->Find("items"); list && list->is_list()) {
      items = list->as_list();
    }
  }
  if (describe) {
    for (size_t i = 0; i < items.size(); ++i) {
      std::printf("%s%s", i ? "\n\n" : "", FormatDescribe(items[i]).c_str());
    }
    return 0;
  }
  if (items.empty()) {
    if (kind->namespaced && !ns.empty()) {
      std::fprintf(stderr, "No resources found in %s namespace.\n", ns.c_str());
    } else {
      std::fprintf(stderr, "No resources found\n");
    }
    return 0;
  }
  return PrintObjects(ctx, items, pos.size() == 3);
}

int ApiResources() {
  std::vector<doc::Value> rows;
  std::printf("%-30s %-12s %-36s %-10s %s\n", "NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED",
              "KIND");
  for (const model::KindInfo& k : model::AllKinds()) {
    std::vector<std::string> shorts(k.short_names.begin(), k.short_names.end());
    std::printf("%-30s %-12s %-36s %-10s %s\n", std::string(k.plural).c_str(),
                Join(shorts, ",").c_str(), std::string(k.api_version).c_str(),
                k.namespaced ? "true" : "false", std::string(k.kind).c_str());
  }
  return 0;
}

}  // namespace

int RunCli(const std::vector<std::string>& args) {
  auto flags = ParseFlags(Specs(), args);
  if (!flags.ok()) return Fail(flags.status());
  if (flags->Bool("help") || flags->positional().empty() || flags->positional()[0] == "help") {
    std::printf("%s%s", kUsage, FlagHelp(Specs()).c_str());
    return flags->positional().empty() && !flags->Bool("help") ? 1 : 0;
  }
  Context ctx{std::move(*flags), "", ""};
  const char* env_server = std::getenv("EGRET_SERVER");
  ctx.server = ctx.flags.Get("server", env_server ? env_server : "unix:/run/egret/egret.sock");
  if (ctx.flags.Has("lab")) {
    ctx.server = "unix:/run/egret/lab/" + ctx.flags.Get("lab") + "/egret.sock";
  }
  if (ctx.flags.Has("token-file")) {
    auto token = ReadInput(ctx.flags.Get("token-file"));
    if (!token.ok()) return Fail(token.status());
    ctx.token = std::string(Trim(*token));
  }
  const std::string cmd = ctx.flags.positional()[0];
  if (cmd == "apply") return Apply(ctx);
  if (cmd == "delete") return Delete(ctx);
  if (cmd == "get") return Get(ctx, false);
  if (cmd == "describe") return Get(ctx, true);
  if (cmd == "api-resources") return ApiResources();
  if (cmd == "version") {
    std::printf("egret 0.1.0 (API %s)\n", "egret.io/api/v1");
    return 0;
  }
  return Fail(InvalidError("unknown command " + Quote(cmd) + " (see egret --help)"));
}

}  // namespace egret::cli
