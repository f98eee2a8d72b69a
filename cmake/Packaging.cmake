# The Debian package: `cpack -G DEB` (or `cmake --build BUILD --target package`) in a build
# configured with -DCMAKE_INSTALL_PREFIX=/usr writes BUILD/sluice_<version>_<arch>.deb.
# scripts/test-deb.sh builds it, runs lintian on it, installs, uses and purges it.
#
# Besides what src/app and src/cli install (the two programs, the desktop file, the icons and
# the AppStream metainfo), this installs, for `cmake --install` too:
#   share/man/man1/sluice.1.gz, sluice-cli.1.gz   docs/man/*.1, gzip -9n
#   share/bash-completion/completions/sluice-cli  resources/completion/sluice-cli
#   share/doc/sluice/copyright                     machine-readable (DEP-5), written below
#   share/doc/sluice/changelog.gz                  from the metainfo's <releases>, gzip -9n
# The translations are compiled into the sluice binary (src/app/translations.cpp reads them
# from its resources), so no .qm files are installed.
include(GNUInstallDirs)

set(SLUICE_APP_ID io.github.sluice.Sluice)
set(SLUICE_METAINFO ${PROJECT_SOURCE_DIR}/resources/${SLUICE_APP_ID}.metainfo.xml)
set(SLUICE_PACKAGING_DIR ${PROJECT_BINARY_DIR}/packaging)
set(SLUICE_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/sluice) # not CMAKE_INSTALL_DOCDIR: doc/Sluice
set(SLUICE_DEB_MAINTAINER
    "The Sluice developers <maintainers@users.noreply.r-seed-858505c5.example>"
    CACHE STRING "The Debian package's Maintainer (name <address>)")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${SLUICE_METAINFO})

find_program(SLUICE_GZIP gzip)
if(NOT SLUICE_GZIP)
    message(FATAL_ERROR "gzip is needed for the manual pages and the changelog")
endif()

# Writes CONTENT to FILE unless FILE holds it already, so that a configure that changes
# nothing rebuilds nothing.
function(sluice_write_if_changed file content)
    if(EXISTS ${file})
        file(READ ${file} old)
        if(old STREQUAL content)
            return()
        endif()
    endif()
    file(WRITE ${file} "${content}")
endfunction()

# Copies SOURCE into the packaging folder as NAME and compresses it there as gzip -9n does
# (no name, no time stamp: the same bytes on every build), giving NAME.gz.
function(sluice_gzip source name)
    set(plain ${SLUICE_PACKAGING_DIR}/${name})
    add_custom_command(OUTPUT ${plain}.gz
        COMMAND ${CMAKE_COMMAND} -E copy ${source} ${plain}
        COMMAND ${SLUICE_GZIP} -9nf ${plain}
        DEPENDS ${source}
        COMMENT "Compressing ${name}"
        VERBATIM)
    set_property(GLOBAL APPEND PROPERTY SLUICE_GZIPPED ${plain}.gz)
endfunction()

# --- Manual pages and bash completion ---------------------------------------------------------
foreach(page sluice sluice-cli)
    sluice_gzip(${PROJECT_SOURCE_DIR}/docs/man/${page}.1 ${page}.1)
    install(FILES ${SLUICE_PACKAGING_DIR}/${page}.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/resources/completion/sluice-cli
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

# --- What the metainfo says: the summary, the homepage and the releases -----------------------
file(READ ${SLUICE_METAINFO} metainfo)
string(REGEX MATCH "<summary>([^<]*)</summary>" _ "${metainfo}")
set(SLUICE_SUMMARY "${CMAKE_MATCH_1}")
string(REGEX MATCH "<url type=\"homepage\">([^<]*)</url>" _ "${metainfo}")
set(SLUICE_HOMEPAGE "${CMAKE_MATCH_1}")

# The changelog, in Debian's format: one entry per <release>, newest first as the metainfo
# lists them; an entry's text is the release's first paragraph, its date the release's (at
# midnight UTC). A version that is not among the releases yet gets an entry dated now.
string(REGEX MATCHALL "<release [^>]*>[^<]*<description>[^<]*<p>[^<]*</p>" releases "${metainfo}")
set(changelog "")
set(have_current OFF)
foreach(release IN LISTS releases)
    string(REGEX MATCH "version=\"([^\"]+)\"" _ "${release}")
    set(version "${CMAKE_MATCH_1}")
    string(REGEX MATCH "date=\"([0-9-]+)\"" _ "${release}")
    set(date "${CMAKE_MATCH_1}")
    string(REGEX MATCH "<p>([^<]*)</p>" _ "${release}")
    string(REGEX REPLACE "[ \t\r\n]+" " " text "${CMAKE_MATCH_1}")
    string(STRIP "${text}" text)
    if(version STREQUAL PROJECT_VERSION)
        set(have_current ON)
    endif()
    execute_process(COMMAND date -u -R -d "${date}" OUTPUT_VARIABLE when
                    OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE failed)
    if(failed OR when STREQUAL "")
        message(FATAL_ERROR "Packaging: the release date \"${date}\" of ${version} in "
                            "${SLUICE_METAINFO} is not a date")
    endif()
    # Wrapped at 78 columns, as debchange does: "  * " then lines indented by four.
    set(entry "  *")
    set(column 3)
    string(REPLACE " " ";" words "${text}")
    foreach(word IN LISTS words)
        string(LENGTH "${word}" length)
        math(EXPR next "${column} + 1 + ${length}")
        if(next GREATER 78)
            string(APPEND entry "\n    ${word}")
            math(EXPR column "4 + ${length}")
        else()
            string(APPEND entry " ${word}")
            set(column ${next})
        endif()
    endforeach()
    string(APPEND changelog "sluice (${version}) unstable; urgency=medium\n\n${entry}\n\n"
                            " -- ${SLUICE_DEB_MAINTAINER}  ${when}\n\n")
endforeach()
if(NOT have_current)
    string(TIMESTAMP when "%a, %d %b %Y %H:%M:%S +0000" UTC)
    string(CONCAT changelog "sluice (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
                  "  * Development build.\n\n -- ${SLUICE_DEB_MAINTAINER}  ${when}\n\n"
                  "${changelog}")
endif()
string(REGEX REPLACE "\n\n$" "\n" changelog "${changelog}")
# The package is native (version 0.1.0, no Debian revision: sluice_0.1.0_amd64.deb), so
# Debian policy 12.7 puts this changelog in changelog.gz; changelog.Debian.gz is for packages
# whose version has a Debian revision (lintian: wrong-name-for-changelog-of-native-package).
sluice_write_if_changed(${SLUICE_PACKAGING_DIR}/source/changelog "${changelog}")
sluice_gzip(${SLUICE_PACKAGING_DIR}/source/changelog changelog)
install(FILES ${SLUICE_PACKAGING_DIR}/changelog.gz DESTINATION ${SLUICE_DOC_DIR})

# --- copyright (https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/) -----------
string(REGEX MATCH "<developer[^>]*>[^<]*<name>([^<]*)</name>" _ "${metainfo}")
set(SLUICE_COPYRIGHT_HOLDER "${CMAKE_MATCH_1}")
# The years: from the oldest release's to the newest's (the metainfo lists the newest first).
string(REGEX MATCHALL "<release [^>]*date=\"[0-9]+-" release_years "${metainfo}")
string(TIMESTAMP SLUICE_YEARS "%Y" UTC)
if(release_years)
    list(GET release_years 0 newest)
    list(GET release_years -1 oldest)
    string(REGEX REPLACE ".*date=\"([0-9]+)-$" "\\1" newest "${newest}")
    string(REGEX REPLACE ".*date=\"([0-9]+)-$" "\\1" oldest "${oldest}")
    set(SLUICE_YEARS ${newest})
    if(NOT oldest STREQUAL newest)
        set(SLUICE_YEARS "${oldest}-${newest}")
    endif()
endif()
set(source_line "")
if(SLUICE_HOMEPAGE)
    set(source_line "Source: ${SLUICE_HOMEPAGE}\n")
endif()
sluice_write_if_changed(${SLUICE_PACKAGING_DIR}/copyright
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Sluice
Upstream-Contact: ${SLUICE_DEB_MAINTAINER}
${source_line}
Files: *
Copyright: ${SLUICE_YEARS} ${SLUICE_COPYRIGHT_HOLDER}
License: GPL-3.0-or-later

Files: resources/${SLUICE_APP_ID}.metainfo.xml
Copyright: ${SLUICE_YEARS} ${SLUICE_COPYRIGHT_HOLDER}
License: CC0-1.0

License: GPL-3.0-or-later
 This program is free software: you can redistribute it and/or modify it under
 the terms of the GNU General Public License as published by the Free Software
 Foundation, either version 3 of the License, or (at your option) any later
 version.
 .
 This program is distributed in the hope that it will be useful, but WITHOUT
 ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or FITNESS
 FOR A PARTICULAR PURPOSE. See the GNU General Public License for more details.
 .
 You should have received a copy of the GNU General Public License along with
 this program. If not, see <https://www.gnu.org/licenses/>.
 .
 On Debian systems, the complete text of the GNU General Public License
 version 3 can be found in \"/usr/share/common-licenses/GPL-3\".

License: CC0-1.0
 To the extent possible under law, the author(s) have dedicated all copyright
 and related and neighboring rights to this software to the public domain
 worldwide. This software is distributed without any warranty.
 .
 On Debian systems, the complete text of the CC0 1.0 Universal license can be
 found in \"/usr/share/common-licenses/CC0-1.0\".
")
install(FILES ${SLUICE_PACKAGING_DIR}/copyright DESTINATION ${SLUICE_DOC_DIR})

get_property(gzipped GLOBAL PROPERTY SLUICE_GZIPPED)
add_custom_target(sluice_packaging_files ALL DEPENDS ${gzipped})

# --- CPack ---------------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sluice)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "${SLUICE_COPYRIGHT_HOLDER}")
set(CPACK_PACKAGE_CONTACT "${SLUICE_DEB_MAINTAINER}")
# The synopsis (the metainfo's summary, lower-cased as Debian writes them) and the long
# description; CPack indents it as the control file wants.
string(SUBSTRING "${SLUICE_SUMMARY}" 0 1 first)
string(SUBSTRING "${SLUICE_SUMMARY}" 1 -1 rest)
string(TOLOWER "${first}" first)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${first}${rest}")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"Sluice resizes and converts whole folders, image files and ZIP archives of
images. Each folder or archive dropped on its window becomes a batch that runs
on a pool of workers, with live progress, throughput and thumbnails of the
finished images; batches can be paused, resumed, canceled and reprioritized
while they run. The command line tool sluice-cli runs the same engine in a
terminal, and can split a huge tree across the tasks of a Slurm job array or
a Kubernetes Indexed Job.

 * resizing: fit, fill, exact, long or short edge, percentage (Lanczos3)
 * output: JPEG, PNG, WebP, AVIF and JPEG XL, into a folder or a ZIP archive
 * input: also HEIC/HEIF, AVIF, JPEG XL, TIFF, BMP and GIF
 * metadata kept, made safe to publish or removed; colours converted to sRGB
 * a journal per batch: interrupted or crashed runs resume where they stopped")
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SLUICE_DEB_MAINTAINER}")
if(SLUICE_HOMEPAGE)
    set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${SLUICE_HOMEPAGE}")
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # sluice_<version>_<dpkg --print-architecture>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded by Qt at run time, so dpkg-shlibdeps cannot see them: the WebP and TIFF image plugins.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-image-formats-plugins")
# Qt's own strings (standard buttons, file dialogs) in German and French.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "qt6-translations-l10n")
set(CPACK_STRIP_FILES ON)
# And as dh_strip does, the .comment and .note sections too (compiler versions: lintian's
# binary-has-unneeded-section), from the staged files before CPack packs them.
if(CMAKE_STRIP AND NOT CMAKE_VERSION VERSION_LESS 3.19)
    set(CPACK_SLUICE_STRIP ${CMAKE_STRIP})
    sluice_write_if_changed(${SLUICE_PACKAGING_DIR}/strip-sections.cmake
"# Written by cmake/Packaging.cmake: run by CPack (CPACK_PRE_BUILD_SCRIPTS) on the staged files.
set(stage \"\${CPACK_TEMPORARY_INSTALL_DIRECTORY}\")
if(NOT stage MATCHES \"/_CPack_Packages/\" OR NOT IS_DIRECTORY \"\${stage}\")
    message(FATAL_ERROR \"strip-sections.cmake: no CPack staging folder (\${stage})\")
endif()
file(GLOB programs \"\${stage}/\${CPACK_PACKAGING_INSTALL_PREFIX}/bin/*\")
foreach(program IN LISTS programs)
    execute_process(COMMAND \"\${CPACK_SLUICE_STRIP}\" --remove-section=.comment
                            --remove-section=.note \"\${program}\" RESULT_VARIABLE failed)
    if(failed)
        message(FATAL_ERROR \"strip failed on \${program}\")
    endif()
endforeach()
")
    set(CPACK_PRE_BUILD_SCRIPTS ${SLUICE_PACKAGING_DIR}/strip-sections.cmake)
endif()
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# `package_source` (not used by the .deb): the sources without Git's and the builds' folders.
set(CPACK_SOURCE_GENERATOR TXZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\.git/" "/build[^/]*/" "/\\.cache/")
include(CPack)
