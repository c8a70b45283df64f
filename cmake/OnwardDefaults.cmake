# Shared compiler settings. Every target of ours calls onward_target_defaults(),
# so warnings, sanitizers and hardening are set in one place.

set(ONWARD_WARNINGS
	-Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes
	-Wpointer-arith -Wvla -Wundef -Wcast-qual -Wwrite-strings -Wno-unused-parameter
	-Wno-missing-field-initializers)

if(ONWARD_SANITIZE)
	add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
		-fno-omit-frame-pointer)
	add_link_options(-fsanitize=address,undefined)
endif()

# Fuzzing builds instrument every library for coverage and check everything with ASan and
# UBSan; only the fuzz targets themselves link libFuzzer's main.
if(ONWARD_FUZZ)
	add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
	add_link_options(-fsanitize=address,undefined)
endif()

function(onward_target_defaults target)
	target_compile_options(${target} PRIVATE ${ONWARD_WARNINGS})
	if(ONWARD_WERROR)
		target_compile_options(${target} PRIVATE -Werror)
	endif()
	target_compile_definitions(${target} PRIVATE _GNU_SOURCE)
	if(NOT ONWARD_SANITIZE AND NOT ONWARD_FUZZ)
		target_compile_options(${target} PRIVATE -fstack-protector-strong)
		target_compile_definitions(${target} PRIVATE
			$<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
	endif()
endfunction()

# A libFuzzer target: built only with -DONWARD_FUZZ=ON and clang.
function(onward_add_fuzzer name)
	if(NOT ONWARD_FUZZ)
		return()
	endif()
	add_executable(${name} ${ARGN})
	onward_target_defaults(${name})
	target_link_options(${name} PRIVATE -fsanitize=fuzzer)
endfunction()
