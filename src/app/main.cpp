// Sluice desktop application: parses the command line, opens the main window and queues the
// paths it was given as batches, as if they were dropped on the window. When a Sluice window
// runs already, the paths go to that one and this start exits (singleinstance.h). SIGINT/SIGTERM
// stop the pool with the shutdown timeout, without asking, and quit.
#include "mainwindow.h"
#include "signalwatcher.h"
#include "singleinstance.h"
#include "translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTimer>
#include <cstdio>
#include <recipe.h>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Sluice"));
    QApplication::setOrganizationName(QStringLiteral("Sluice"));
    QApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));
    // The icon's PNGs (rendered from resources/icons/sluice.svg): Qt's SVG plugin may be missing.
    QIcon appIcon;
    for (int size : {16, 32, 48, 64, 128, 256})
        appIcon.addFile(QStringLiteral(":/icons/sluice-%1.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(appIcon);
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.sluice.Sluice"));

    // The options are set up twice: a first pass finds --lang, so that the translators are in
    // place before --help, errors and widgets need them.
    const auto setUpParser = [](QCommandLineParser &parser) {
        parser.setApplicationDescription(
            QApplication::translate("main", "Batch image resizer and converter."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption(
            {QStringLiteral("lang"),
             QApplication::translate("main", "User interface language: de, fr or en (default: the "
                                             "system's language)."),
             QStringLiteral("LANG")});
        parser.addPositionalArgument(
            QStringLiteral("paths"),
            QApplication::translate("main", "Folders, images or ZIP archives to queue."),
            QStringLiteral("[PATH...]"));
    };
    QCommandLineParser languageParser;
    setUpParser(languageParser);
    languageParser.parse(QApplication::arguments());
    sluice::app::installTranslators(app, languageParser.value(QStringLiteral("lang")));

    QCommandLineParser parser;
    setUpParser(parser);
    parser.process(app);

    const QStringList paths = parser.positionalArguments();
    sluice::app::SingleInstance instance(sluice::app::SingleInstance::defaultSocketPath());
    if (instance.handOverOrListen(paths))
        return 0; // the running window has them
    if (!instance.error().isEmpty())
        std::fprintf(stderr, "sluice: %s\n", qPrintable(instance.error()));

    sluice::applyProcessLimits(sluice::Recipe());
    QSettings settings;
    sluice::app::MainWindow window(settings);
    QObject::connect(&instance, &sluice::app::SingleInstance::pathsReceived, &window,
                     [&window](const QStringList &more) {
                         if (!more.isEmpty())
                             window.addInputs(more);
                         window.setWindowState(window.windowState() & ~Qt::WindowMinimized);
                         window.show();
                         window.raise();
                         window.activateWindow();
                     });
    sluice::SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &sluice::SignalWatcher::interrupted, &window,
                     &sluice::app::MainWindow::shutdownAndClose);
    window.show();
    if (!paths.isEmpty())
        QTimer::singleShot(0, &window, [&window, paths] { window.addInputs(paths); });
    return app.exec();
}
