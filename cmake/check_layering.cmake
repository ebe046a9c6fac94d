# Fails the build when src/core or src/model include a header that touches the kernel, a socket,
# a thread, a clock or a datastore. Those belong behind a port (src/ports) in an adapter.
set(forbidden
  "<sys/" "<linux/" "<netinet/" "<arpa/" "<net/" "<unistd.h>" "<fcntl.h>" "<thread>"
  "<mutex>" "<condition_variable>" "<chrono>" "<sqlite3.h>" "<yaml.h>" "<nftables/" "<bpf/"
  "<libmnl/" "\"adapters/" "\"controller/" "\"cli/" "\"api/")
set(bad "")
foreach(dir core model)
  file(GLOB_RECURSE files "${SRC}/${dir}/*.h" "${SRC}/${dir}/*.cc")
  foreach(f ${files})
    if(f MATCHES "_test\\.cc$")
      continue()
    endif()
    file(STRINGS "${f}" lines REGEX "^#include")
    foreach(line ${lines})
      foreach(pat ${forbidden})
        string(FIND "${line}" "${pat}" pos)
        if(NOT pos EQUAL -1)
          list(APPEND bad "${f}: ${line}")
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()
if(bad)
  list(JOIN bad "\n  " msg)
  message(FATAL_ERROR "layering violation (src/core and src/model must stay pure):\n  ${msg}")
endif()
