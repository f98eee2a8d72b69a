// The German and French translations: installing them changes what the main window shows, and
// every message in translations/*.ts is translated.
#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLibraryInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMultiMap>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QXmlStreamReader>
#include <droparea.h>
#include <mainwindow.h>
#include <recipepanel.h>
#include <translations.h>

using namespace sluice::app;

namespace {

QApplication &application()
{
    return *static_cast<QApplication *>(QCoreApplication::instance());
}

// The strings a user sees first, keyed by where they are.
struct VisibleStrings
{
    QString fileMenu, batchMenu, allMenu, pauseAction, addFilesAction, recipeBox, dropArea;
    QStringList recipeLabels;
};

VisibleStrings visibleStrings(QSettings &settings)
{
    MainWindow window(settings);
    VisibleStrings s;
    s.fileMenu = window.findChild<QMenu *>(QStringLiteral("menuFile"))->title();
    s.batchMenu = window.findChild<QMenu *>(QStringLiteral("menuBatch"))->title();
    s.allMenu = window.findChild<QMenu *>(QStringLiteral("menuAll"))->title();
    s.pauseAction = window.findChild<QAction *>(QStringLiteral("actionPause"))->text();
    s.addFilesAction = window.findChild<QAction *>(QStringLiteral("actionAddFiles"))->text();
    s.recipeBox = window.findChild<QGroupBox *>(QStringLiteral("recipeBox"))->title();
    s.dropArea = window.dropArea()->text();
    const QList<QLabel *> labels = window.recipePanel()->findChildren<QLabel *>();
    for (const QLabel *label : labels)
        s.recipeLabels << label->text();
    return s;
}

struct Unfinished
{
    int messages = 0;
    QStringList unfinished;
};

// Counts the messages of a .ts file and lists those without a finished, non-empty translation.
Unfinished readTs(const QString &path)
{
    Unfinished result;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.unfinished << QStringLiteral("cannot open %1").arg(path);
        return result;
    }
    QXmlStreamReader xml(&file);
    QString context, source, type, text;
    bool inTranslation = false, emptyForm = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                ++result.messages;
            } else if (name == QLatin1String("source")) {
                source = xml.readElementText();
            } else if (name == QLatin1String("translation")) {
                inTranslation = true;
                emptyForm = false;
                type = xml.attributes().value(QLatin1String("type")).toString();
                text.clear();
            } else if (inTranslation && name == QLatin1String("numerusform")) {
                // A plural message holds one <numerusform> per plural form.
                const QString form = xml.readElementText();
                emptyForm = emptyForm || form.trimmed().isEmpty();
                text += form;
            }
        } else if (inTranslation && xml.isCharacters()) {
            text += xml.text();
        } else if (xml.isEndElement() && xml.name() == QLatin1String("translation")) {
            inTranslation = false;
            if (!type.isEmpty() || text.trimmed().isEmpty() || emptyForm)
                result.unfinished << QStringLiteral("%1: \"%2\" (%3)")
                                         .arg(context, source,
                                              type.isEmpty() ? QStringLiteral("empty") : type);
        }
    }
    if (xml.hasError())
        result.unfinished << QStringLiteral("%1: %2").arg(path, xml.errorString());
    return result;
}

// The Alt+letter of a text ("&File" -> 'f'), or a null QChar.
QChar mnemonicOf(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != QLatin1Char('&'))
            continue;
        if (text.at(i + 1) == QLatin1Char('&')) {
            ++i; // "&&" is a literal ampersand
            continue;
        }
        return text.at(i + 1).toLower();
    }
    return {};
}

// Every Alt+letter the main window answers to, with what owns it: the menu bar's menus, the
// labels with a buddy and the buttons and check boxes (tool bar buttons have none).
QMultiMap<QChar, QString> windowMnemonics(QSettings &settings)
{
    MainWindow window(settings);
    QMultiMap<QChar, QString> owners;
    const auto add = [&owners](const QString &text) {
        if (const QChar key = mnemonicOf(text); !key.isNull())
            owners.insert(key, text);
    };
    for (const QAction *menu : window.menuBar()->actions())
        add(menu->text());
    for (const QLabel *label : window.findChildren<QLabel *>())
        if (label->buddy())
            add(label->text());
    for (const QAbstractButton *button : window.findChildren<QAbstractButton *>())
        if (!qobject_cast<const QToolButton *>(button))
            add(button->text());
    return owners;
}

} // namespace

class tst_Translations : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void germanReplacesVisibleStrings();
    void frenchReplacesVisibleStrings();
    void qtStandardButtonsAreTranslated();
    void localeNamesAndUnknownLanguages();
    void everyMessageIsTranslated_data();
    void everyMessageIsTranslated();
    void mnemonicsAreUniqueAndMenusComeFirst_data();
    void mnemonicsAreUniqueAndMenusComeFirst();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    VisibleStrings m_english;
};

void tst_Translations::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_settings =
        std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    m_settings->setValue(QStringLiteral("pool/workers"), 1);
    m_settings->setValue(QStringLiteral("journal/directory"), m_dir.filePath(QStringLiteral("j")));
    QCOMPARE(installTranslators(application(), QStringLiteral("en")), QStringLiteral("en"));
    m_english = visibleStrings(*m_settings);
    QCOMPARE(m_english.fileMenu, QStringLiteral("&File"));
    QCOMPARE(m_english.pauseAction, QStringLiteral("&Pause"));
}

void tst_Translations::cleanup()
{
    installTranslators(application(), QStringLiteral("en"));
}

void tst_Translations::germanReplacesVisibleStrings()
{
    QCOMPARE(installTranslators(application(), QStringLiteral("de")), QStringLiteral("de"));
    const VisibleStrings german = visibleStrings(*m_settings);
    const auto check = [](const QString &english, const QString &actual, const char *expected) {
        QVERIFY2(actual != english, qPrintable(english));
        QCOMPARE(actual, QString::fromUtf8(expected));
    };
    check(m_english.fileMenu, german.fileMenu, "&Datei");
    check(m_english.batchMenu, german.batchMenu, "&Stapel");
    check(m_english.allMenu, german.allMenu, "&Alle Stapel");
    check(m_english.pauseAction, german.pauseAction, "&Pausieren");
    check(m_english.addFilesAction, german.addFilesAction, "&Dateien hinzufügen…");
    check(m_english.recipeBox, german.recipeBox, "Rezept für die nächsten Bilder");
    check(m_english.dropArea, german.dropArea,
          "Bilderordner, Bilder oder ZIP-Archive hier ablegen");
    QVERIFY2(m_english.recipeLabels.contains(QStringLiteral("&Preset:")),
             qPrintable(m_english.recipeLabels.join(QLatin1Char('|'))));
    QVERIFY2(german.recipeLabels.contains(QStringLiteral("&Vorlage:")),
             qPrintable(german.recipeLabels.join(QLatin1Char('|'))));
    QVERIFY(!german.recipeLabels.contains(QStringLiteral("&Preset:")));
    // Issue 14: "Name vergeben:" read as "assign a name", not "if the name is taken".
    QVERIFY2(german.recipeLabels.contains(QStringLiteral("Wenn der Na&me vergeben ist:")),
             qPrintable(german.recipeLabels.join(QLatin1Char('|'))));
    // Plurals and strings outside the widgets (the pool's state names) are translated too.
    QCOMPARE(QCoreApplication::translate("sluice::app::CloseDialog", "%n batch(es) still running.",
                                         nullptr, 3),
             QString::fromUtf8("3 Stapel laufen noch."));
    QCOMPARE(QCoreApplication::translate("sluice", "Finished"), QStringLiteral("Fertig"));
}

void tst_Translations::frenchReplacesVisibleStrings()
{
    QCOMPARE(installTranslators(application(), QStringLiteral("fr_FR")), QStringLiteral("fr"));
    const VisibleStrings french = visibleStrings(*m_settings);
    QCOMPARE(french.fileMenu, QStringLiteral("&Fichier"));
    QCOMPARE(french.pauseAction, QStringLiteral("&Suspendre"));
    QCOMPARE(
        french.dropArea,
        QString::fromUtf8("Déposez ici des dossiers d'images, des images ou des archives ZIP"));
    QVERIFY(french.recipeBox != m_english.recipeBox);
    QCOMPARE(QCoreApplication::translate("sluice::app::CloseDialog", "%n batch(es) still running.",
                                         nullptr, 1),
             QString::fromUtf8("1 lot encore en cours."));
}

void tst_Translations::qtStandardButtonsAreTranslated()
{
    const QString qtbase =
        QLibraryInfo::path(QLibraryInfo::TranslationsPath) + QStringLiteral("/qtbase_de.qm");
    if (!QFile::exists(qtbase))
        QSKIP("Qt's German translation (qtbase_de.qm) is not installed");
    installTranslators(application(), QStringLiteral("de"));
    QDialogButtonBox buttons(QDialogButtonBox::Cancel);
    QCOMPARE(buttons.button(QDialogButtonBox::Cancel)->text(), QStringLiteral("Abbrechen"));
}

void tst_Translations::localeNamesAndUnknownLanguages()
{
    QCOMPARE(installTranslators(application(), QStringLiteral("de-DE")), QStringLiteral("de"));
    QCOMPARE(installTranslators(application(), QStringLiteral("DE")), QStringLiteral("de"));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("Unknown language.*xx")));
    QCOMPARE(installTranslators(application(), QStringLiteral("xx")), QStringLiteral("en"));
    // The German translators were removed: English again.
    QCOMPARE(visibleStrings(*m_settings).fileMenu, QStringLiteral("&File"));
    QCOMPARE(QCoreApplication::translate("sluice", "Finished"), QStringLiteral("Finished"));
}

void tst_Translations::everyMessageIsTranslated_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("de") << QStringLiteral(SLUICE_TS_DE);
    QTest::newRow("fr") << QStringLiteral(SLUICE_TS_FR);
}

void tst_Translations::everyMessageIsTranslated()
{
    QFETCH(QString, path);
    const Unfinished result = readTs(path);
    qInfo("%s: %d messages", qPrintable(path), result.messages);
    QVERIFY(result.messages > 100);
    QVERIFY2(result.unfinished.isEmpty(),
             qPrintable(QStringLiteral("%1 unfinished in %2:\n  %3")
                            .arg(result.unfinished.size())
                            .arg(path, result.unfinished.join(QStringLiteral("\n  ")))));
}

// Issue 14, bug 6: every Alt+letter of the main window belongs to one control, and the menus
// get theirs first (Alt+F is the File menu, not a field that happens to start with F).
void tst_Translations::mnemonicsAreUniqueAndMenusComeFirst_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("English") << QStringLiteral("en");
    QTest::newRow("German") << QStringLiteral("de");
    QTest::newRow("French") << QStringLiteral("fr");
}

void tst_Translations::mnemonicsAreUniqueAndMenusComeFirst()
{
    QFETCH(QString, language);
    installTranslators(application(), language);
    const QMultiMap<QChar, QString> owners = windowMnemonics(*m_settings);
    QVERIFY(owners.size() >= 20);
    QStringList clashes;
    for (const QChar key : owners.uniqueKeys())
        if (owners.count(key) > 1)
            clashes << QStringLiteral("Alt+%1: %2")
                           .arg(key.toUpper(), owners.values(key).join(QStringLiteral(", ")));
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QStringLiteral("; "))));
}

QTEST_MAIN(tst_Translations)
#include "tst_translations.moc"
