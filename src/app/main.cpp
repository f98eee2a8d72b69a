// Sluice desktop application: parses the command line, opens the main window and queues the
// paths it was given as batches, as if they were dropped on the window. SIGINT/SIGTERM stop
// the pool with the shutdown timeout, without asking, and quit.
#include "mainwindow.h"
#include "signalwatcher.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTimer>
#include <recipe.h>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Sluice"));
    QApplication::setOrganizationName(QStringLiteral("Sluice"));
    QApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/sluice.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Batch image resizer and converter."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("paths"),
        QApplication::translate("main", "Folders, images or ZIP archives to queue."),
        QStringLiteral("[PATH...]"));
    parser.process(app);

    sluice::applyProcessLimits(sluice::Recipe());
    QSettings settings;
    sluice::app::MainWindow window(settings);
    sluice::SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &sluice::SignalWatcher::interrupted, &window,
                     &sluice::app::MainWindow::shutdownAndClose);
    window.show();
    const QStringList paths = parser.positionalArguments();
    if (!paths.isEmpty())
        QTimer::singleShot(0, &window, [&window, paths] { window.addInputs(paths); });
    return app.exec();
}
