# Applies KAFKASINK_SANITIZE ("address;undefined" or "thread") to the whole tree, library and
# tests alike, when kafkasink is the top-level project.
if(KAFKASINK_SANITIZE AND PROJECT_IS_TOP_LEVEL)
  list(JOIN KAFKASINK_SANITIZE "," kafkasink_sanitizers)
  add_compile_options(-fsanitize=${kafkasink_sanitizers} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${kafkasink_sanitizers})
endif()
