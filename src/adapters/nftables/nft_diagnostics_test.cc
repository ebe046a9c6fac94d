// Unit tests (no kernel): error buffers as libnftables 1.0.6 printed them for scripts read from
// a memfd, captured in a throwaway namespace.
#include "adapters/nftables/nft_diagnostics.h"

#include <gtest/gtest.h>

namespace egret::nftables {
namespace {

constexpr std::string_view kSource = "/proc/self/fd/4";

TEST(ParseNftDiagnostics, LocatedErrorTakesTextFromTheScript) {
  const std::string script =
      "table inet egret {}\ndelete table inet egret\ntable inet egret {\n"
      "  set internal4 { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 10.1.0.0/16 } }\n"
      "}\n";
  const std::string buffer =
      "/proc/self/fd/4:4:76-86: Error: conflicting intervals specified\n"
      "  set internal4 { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 10.1.0.0/16 } }\n"
      "                                                               ~~~~~~~~~~  ^^^^^^^^^^^\n";
  std::vector<NftDiagnostic> d = ParseNftDiagnostics(buffer, kSource, script);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 4);
  EXPECT_EQ(d[0].column, 76);
  EXPECT_EQ(d[0].severity, "Error");
  EXPECT_EQ(d[0].message, "conflicting intervals specified");
  EXPECT_EQ(d[0].text,
            "set internal4 { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 10.1.0.0/16 "
            "} }");
}

TEST(ParseNftDiagnostics, SeveralSyntaxErrors) {
  const std::string script = "table inet x {\n chain fwd {\n   type filter hook forward;\n }\n}\n";
  const std::string buffer =
      "/proc/self/fd/4:2:8-10: Error: syntax error, unexpected fwd, expecting string\n"
      " chain fwd {\n"
      "       ^^^\n"
      "/proc/self/fd/4:3:4-7: Error: syntax error, unexpected type\n"
      "   type filter hook forward;\n"
      "   ^^^^\n";
  std::vector<NftDiagnostic> d = ParseNftDiagnostics(buffer, kSource, script);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].text, "chain fwd {");
  EXPECT_EQ(d[1].line, 3);
  EXPECT_EQ(d[1].message, "syntax error, unexpected type");
}

TEST(ParseNftDiagnostics, RecordsWithoutALocationKeepTheirMessage) {
  const std::string buffer =
      "internal:0:0-0: Error: No such file or directory\n\n"
      "netlink: Error: Could not process rule: Device or resource busy\n"
      "something unexpected\n";
  std::vector<NftDiagnostic> d = ParseNftDiagnostics(buffer, kSource, "");
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].line, 0);
  EXPECT_EQ(d[0].message, "No such file or directory");
  EXPECT_EQ(d[1].message, "Could not process rule: Device or resource busy");
  EXPECT_EQ(d[2].message, "something unexpected");
}

TEST(ScriptRejected, NamesLineColumnAndText) {
  const std::string script = "table inet x {\n chain a {\n   foo bar\n }\n}\n";
  const std::string buffer =
      "/proc/self/fd/4:3:4-6: Error: No symbol type information\n   foo bar\n   ^^^\n";
  Status st = ScriptRejected(ParseNftDiagnostics(buffer, kSource, script), -1);
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_EQ(st.message(),
            "nftables rejected the script, nothing was changed: line 3, column 4: No symbol type "
            "information (in \"foo bar\")");
}

TEST(ScriptRejected, OneLinePerError) {
  const std::string script = "a\nb\n";
  const std::string buffer =
      "/proc/self/fd/4:1:1-1: Error: syntax error, unexpected a\na\n^\n"
      "/proc/self/fd/4:2:1-1: Error: syntax error, unexpected b\nb\n^\n";
  Status st = ScriptRejected(ParseNftDiagnostics(buffer, kSource, script), -1);
  EXPECT_EQ(st.message(),
            "nftables rejected the script, nothing was changed: line 1, column 1: syntax error, "
            "unexpected a (in \"a\")\nline 2, column 1: syntax error, unexpected b (in \"b\")");
}

TEST(ScriptRejected, PermissionDeniedIsAFailedPrecondition) {
  const std::string buffer =
      "/proc/self/fd/4:1:1-19: Error: Could not process rule: Operation not permitted\n"
      "table inet egret {}\n^^^^^^^^^^^^^^^^^^^\n";
  Status st = ScriptRejected(ParseNftDiagnostics(buffer, kSource, "table inet egret {}\n"), -1);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("CAP_NET_ADMIN"), std::string::npos);
}

TEST(ScriptRejected, WithoutAMessageGivesTheExitCode) {
  Status st = ScriptRejected({}, -1);
  EXPECT_EQ(st.code(), Code::kInvalid);
  EXPECT_NE(st.message().find("libnftables gave no reason (exit code -1)"), std::string::npos);
}

TEST(ScriptRejected, WarningsAloneAreNotReasons) {
  const std::string buffer = "/proc/self/fd/4:1:1-1: Warning: something odd\nx\n^\n";
  Status st = ScriptRejected(ParseNftDiagnostics(buffer, kSource, "x\n"), 1);
  EXPECT_NE(st.message().find("gave no reason"), std::string::npos);
}

}  // namespace
}  // namespace egret::nftables
