# Module boundaries the build enforces (README.md, "Module boundaries").
# Includes are spelled from the source root ("model/model.h",
# "checker/bmc/smt.h"), but no target sees the source root: each sees only
# what these functions give it, through directories of symbolic links in
# the build tree.

# gup_private_root(<target> [FOLDER <dir>])
#   <target>'s own code sees its folder (default: the current source
#   directory), subfolders included: build/modroot/<target>/<dir> links to
#   it, and build/modroot/<target> is a PRIVATE include directory.
function(gup_private_root target)
  cmake_parse_arguments(R "" "FOLDER" "" ${ARGN})
  if(R_FOLDER)
    set(folder ${R_FOLDER})
  else()
    file(RELATIVE_PATH folder ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  set(root ${CMAKE_BINARY_DIR}/modroot/${target})
  file(REMOVE_RECURSE ${root})  # removes links, never what they point to
  get_filename_component(parent ${root}/${folder} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  file(CREATE_LINK ${CMAKE_SOURCE_DIR}/${folder} ${root}/${folder} SYMBOLIC)
  target_include_directories(${target} PRIVATE ${root})
  set_property(TARGET ${target} PROPERTY GUP_PRIVATE_ROOT ${root})
endfunction()

# gup_module(<target> PUBLIC_HEADERS <header>...)
#   A library of the current source directory. Its sources see the whole
#   folder (gup_private_root); everyone linking it sees exactly the listed
#   headers: build/include/<target>/<folder>/<header> links to each, and
#   build/include/<target> is a PUBLIC include directory. A public header
#   may include only public headers (its own target's or a dependency's):
#   anything else fails to compile in the code that includes it.
function(gup_module target)
  cmake_parse_arguments(M "" "" "PUBLIC_HEADERS" ${ARGN})
  gup_private_root(${target})
  file(RELATIVE_PATH folder ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  set(inc ${CMAKE_BINARY_DIR}/include/${target})
  file(REMOVE_RECURSE ${inc})  # a header taken off the list is gone
  file(MAKE_DIRECTORY ${inc}/${folder})
  foreach(h ${M_PUBLIC_HEADERS})
    if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${h})
      message(FATAL_ERROR "${target}: public header ${folder}/${h} does not exist")
    endif()
    get_filename_component(dir ${inc}/${folder}/${h} DIRECTORY)
    file(MAKE_DIRECTORY ${dir})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/${h} ${inc}/${folder}/${h} SYMBOLIC)
  endforeach()
  target_include_directories(${target} PUBLIC ${inc})
endfunction()

# gup_internals(<consumer> <module>...)
#   <consumer> sees the private roots of the modules too: for code that is
#   a module's own in another form (the kernel code compiled in the symbolic
#   domain, mutants of it) and for tests of a module's internals.
function(gup_internals consumer)
  foreach(m ${ARGN})
    get_target_property(root ${m} GUP_PRIVATE_ROOT)
    if(NOT root)
      message(FATAL_ERROR "gup_internals(${consumer}): ${m} is not a gup_module")
    endif()
    target_include_directories(${consumer} PRIVATE ${root})
  endforeach()
endfunction()

# gup_forbid_link(<target> <library>)
#   A configure error if <target> links <library>, directly or through any
#   library it links. Call it after every target_link_libraries().
function(gup_forbid_link target forbidden)
  set(todo ${target})
  set(seen "")
  while(todo)
    list(POP_FRONT todo t)
    if(t IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${t})
    if(t STREQUAL forbidden)
      message(FATAL_ERROR "${target} must not link ${forbidden}, but does (targets searched: ${seen})")
    endif()
    if(NOT TARGET ${t})
      continue()
    endif()
    set(deps "")
    get_target_property(type ${t} TYPE)
    get_target_property(imported ${t} IMPORTED)
    if(NOT imported AND NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(own ${t} LINK_LIBRARIES)
      if(own)
        list(APPEND deps ${own})
      endif()
    endif()
    get_target_property(iface ${t} INTERFACE_LINK_LIBRARIES)
    if(iface)
      list(APPEND deps ${iface})
    endif()
    foreach(d ${deps})
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" d "${d}")
      if(NOT d MATCHES "^\\$<")
        list(APPEND todo ${d})
      endif()
    endforeach()
  endwhile()
endfunction()
