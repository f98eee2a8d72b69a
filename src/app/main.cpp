// Sluice desktop application. For now a bare window with a drop area: the image pipeline and
// the batch view arrive with their issues; the window says so instead of pretending.
#include "droparea.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QListWidget>
#include <QMainWindow>
#include <QStatusBar>
#include <QVBoxLayout>

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

    QMainWindow window;
    window.setWindowTitle(QStringLiteral("Sluice"));
    auto *central = new QWidget(&window);
    auto *layout = new QVBoxLayout(central);
    auto *drop = new sluice::DropArea(central);
    auto *list = new QListWidget(central);
    list->setAccessibleName(QApplication::translate("main", "Dropped inputs"));
    layout->addWidget(drop, 2);
    layout->addWidget(list, 1);
    window.setCentralWidget(central);
    window.statusBar()->showMessage(QApplication::translate(
        "main", "Preview build: inputs are listed, image processing is not wired in yet."));

    auto addPaths = [list](const QStringList &paths) {
        for (const QString &p : paths)
            list->addItem(QFileInfo(p).absoluteFilePath());
    };
    QObject::connect(drop, &sluice::DropArea::pathsDropped, list, addPaths);
    addPaths(parser.positionalArguments());

    window.resize(640, 480);
    window.show();
    return app.exec();
}
