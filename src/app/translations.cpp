#include "translations.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace sluice::app {

namespace {

const QString SourceLanguage = QStringLiteral("en");
// Marks the translators this file installs, so that a later call can replace them.
const char *const TranslatorTag = "sluiceTranslator";

// "de_DE", "de-DE" and "DE" all give "de".
QString languageCode(const QString &name)
{
    return name.section(QLatin1Char('_'), 0, 0).section(QLatin1Char('-'), 0, 0).toLower();
}

QString systemLanguage()
{
    const QStringList supported = supportedLanguages();
    for (const QString &name : QLocale::system().uiLanguages()) {
        const QString code = languageCode(name);
        if (supported.contains(code))
            return code;
    }
    return SourceLanguage;
}

void removeInstalledTranslators(QApplication &app)
{
    const QList<QTranslator *> translators = app.findChildren<QTranslator *>();
    for (QTranslator *translator : translators) {
        if (translator->property(TranslatorTag).toBool()) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
    }
}

bool install(QApplication &app, const QString &file, const QString &directory)
{
    auto *translator = new QTranslator(&app);
    translator->setProperty(TranslatorTag, true);
    if (!translator->load(file, directory) || !QCoreApplication::installTranslator(translator)) {
        delete translator;
        return false;
    }
    return true;
}

} // namespace

QStringList supportedLanguages()
{
    return {SourceLanguage, QStringLiteral("de"), QStringLiteral("fr")};
}

QString installTranslators(QApplication &app, const QString &lang)
{
    removeInstalledTranslators(app);
    QString code = lang.isEmpty() ? systemLanguage() : languageCode(lang);
    if (!supportedLanguages().contains(code)) {
        qWarning("Unknown language \"%s\" (available: %s); using English.", qPrintable(lang),
                 qPrintable(supportedLanguages().join(QStringLiteral(", "))));
        code = SourceLanguage;
    }
    if (code == SourceLanguage)
        return code;
    // Qt's own messages (standard buttons, file dialogs, --help) when the system has them.
    install(app, QStringLiteral("qtbase_") + code,
            QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    if (!install(app, QStringLiteral("sluice_") + code, QStringLiteral(":/i18n"))) {
        qWarning("The %s translation of Sluice is missing; using English.", qPrintable(code));
        removeInstalledTranslators(app);
        return SourceLanguage;
    }
    return code;
}

} // namespace sluice::app
