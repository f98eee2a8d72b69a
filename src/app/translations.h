// Picks the user interface language and installs the translators for it: Sluice's own
// messages (compiled from translations/*.ts at build time and embedded under :/i18n/) and, when
// the system has them, Qt's own (qtbase_*.qm) for standard dialogs and buttons.
#pragma once

#include <QString>
#include <QStringList>

class QApplication;

namespace sluice::app {

// The languages Sluice is translated to, English (the source language) first.
QStringList supportedLanguages();

// Installs the translators for `lang` ("de", "fr", "en"; a locale name such as "de_DE" works
// too). An empty `lang` means the system locale's preferred UI languages decide. An unknown
// `lang` prints a warning on stderr and falls back to English. Translators installed by an
// earlier call are removed first. Call it before creating widgets. Returns the language chosen.
QString installTranslators(QApplication &app, const QString &lang);

} // namespace sluice::app
