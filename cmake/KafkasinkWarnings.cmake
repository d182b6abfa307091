# kafkasink_set_warnings(target): the warnings our own targets build with (benchmark's list).
function(kafkasink_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
    -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2
    $<$<BOOL:${KAFKASINK_WERROR}>:-Werror>)
endfunction()
