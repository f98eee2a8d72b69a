#include "testimages.h"

#include <QTemporaryDir>
#include <QtTest>
#include <inputscanner.h>
#include <quazip/quazip.h>
#include <sink.h>

using namespace sluice;
using namespace testimages;

namespace {

QList<InputItem> drain(InputScanner &scanner)
{
    QList<InputItem> items;
    while (auto item = scanner.next())
        items << *item;
    return items;
}

QStringList relativePaths(const QList<InputItem> &items, bool rejected = false)
{
    QStringList paths;
    for (const InputItem &item : items) {
        if (item.isRejected() == rejected && !item.isSkipped())
            paths << item.relativePath;
    }
    paths.sort();
    return paths;
}

// "photos/.x.jpg hidden", ... for the skipped items, sorted.
QStringList skippedPaths(const QList<InputItem> &items)
{
    static const char *const Names[] = {"", "hidden", "sluice output", "loop", "repeat"};
    QStringList paths;
    for (const InputItem &item : items) {
        if (item.isSkipped())
            paths << item.relativePath + QLatin1Char(' ') +
                         QLatin1String(Names[int(item.scanSkip)]);
    }
    paths.sort();
    return paths;
}

} // namespace

class tst_InputScanner : public QObject
{
    Q_OBJECT

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void init();
    void walksFoldersRecursively();
    void rootNameOptional();
    void yieldsLazily();
    void outputFolderIsNeverScanned();
    void mixOfInputs();
    void missingInputIsRejected();
    void archiveEntriesAndUnsafeNames_data();
    void archiveEntriesAndUnsafeNames();
    void archiveLimits_data();
    void archiveLimits();
    void symlinkedFoldersAreFollowedOnce();
    void hiddenFilesAndFoldersAreSkipped_data();
    void hiddenFilesAndFoldersAreSkipped();
    void sluiceOutputsAreSkipped();
};

void tst_InputScanner::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_InputScanner::walksFoldersRecursively()
{
    writeFile(path(QStringLiteral("photos/a.jpg")), "a");
    writeFile(path(QStringLiteral("photos/2024/b.png")), "b");
    writeFile(path(QStringLiteral("photos/2024/deep/c.txt")), "c");
    InputScanner scanner({path(QStringLiteral("photos"))});
    const QList<InputItem> items = drain(scanner);
    QCOMPARE(relativePaths(items), (QStringList{QStringLiteral("photos/2024/b.png"),
                                                QStringLiteral("photos/2024/deep/c.txt"),
                                                QStringLiteral("photos/a.jpg")}));
    QList<qint64> indexes;
    for (const InputItem &item : items) {
        indexes << item.index;
        QVERIFY(QFileInfo(item.sourcePath).isAbsolute());
        QVERIFY(item.sourcePath.endsWith(item.relativePath));
    }
    QCOMPARE(indexes, (QList<qint64>{0, 1, 2}));
    QCOMPARE(scanner.counters().files, 3);
}

void tst_InputScanner::rootNameOptional()
{
    writeFile(path(QStringLiteral("photos/sub/a.jpg")), "a");
    InputScanner scanner({path(QStringLiteral("photos"))});
    scanner.setIncludeRootName(false);
    QCOMPARE(relativePaths(drain(scanner)), QStringList{QStringLiteral("sub/a.jpg")});
}

void tst_InputScanner::yieldsLazily()
{
    // 50 folders of 20 files: the first item comes after reading one directory level per
    // folder on the way down, not the whole tree.
    for (int d = 0; d < 50; ++d) {
        for (int f = 0; f < 20; ++f)
            writeFile(path(QStringLiteral("tree/d%1/f%2.jpg").arg(d).arg(f)), "x");
    }
    InputScanner scanner({path(QStringLiteral("tree"))});
    QVERIFY(scanner.next().has_value());
    QCOMPARE(scanner.counters().files, 1);
    int rest = 0;
    while (scanner.next())
        ++rest;
    QCOMPARE(rest, 999);
}

void tst_InputScanner::outputFolderIsNeverScanned()
{
    writeFile(path(QStringLiteral("photos/a.jpg")), "a");
    writeFile(path(QStringLiteral("photos/out/a.jpg")), "old output");
    writeFile(path(QStringLiteral("photos/out/deeper/b.jpg")), "old output");
    InputScanner scanner({path(QStringLiteral("photos"))});
    scanner.setExcludedPaths({path(QStringLiteral("photos/out/"))}); // trailing slash too
    QCOMPARE(relativePaths(drain(scanner)), QStringList{QStringLiteral("photos/a.jpg")});
    QCOMPARE(scanner.counters().excluded, 1);

    // Given as the input itself, or via a relative spelling: still excluded.
    InputScanner direct({path(QStringLiteral("photos/out"))});
    direct.setExcludedPaths({path(QStringLiteral("photos/./out"))});
    QVERIFY(!direct.next());
    // Something inside the output, given by name: also part of the output.
    InputScanner inside(
        {path(QStringLiteral("photos/out/deeper")), path(QStringLiteral("photos/out/a.jpg"))});
    inside.setExcludedPaths({path(QStringLiteral("photos/out"))});
    QVERIFY(!inside.next());
    QCOMPARE(inside.counters().excluded, 2);
}

void tst_InputScanner::mixOfInputs()
{
    writeFile(path(QStringLiteral("single.png")), "s");
    writeFile(path(QStringLiteral("dir/a.jpg")), "a");
    QVERIFY(writeZip(path(QStringLiteral("dir/nested.zip")), {{QStringLiteral("n.jpg"), "n"}}));
    QVERIFY(writeZip(path(QStringLiteral("top.zip")), {{QStringLiteral("z/t.jpg"), "t"}}));
    // An archive given by name is recognised by content, whatever its extension.
    QVERIFY(writeZip(path(QStringLiteral("archive.dat")), {{QStringLiteral("d.jpg"), "d"}}));
    InputScanner scanner({path(QStringLiteral("single.png")), path(QStringLiteral("dir")),
                          path(QStringLiteral("top.zip")), path(QStringLiteral("archive.dat"))});
    const QList<InputItem> items = drain(scanner);
    QCOMPARE(relativePaths(items),
             (QStringList{QStringLiteral("archive/d.jpg"), QStringLiteral("dir/a.jpg"),
                          QStringLiteral("dir/nested/n.jpg"), QStringLiteral("single.png"),
                          QStringLiteral("top/z/t.jpg")}));
    for (const InputItem &item : items) {
        if (item.relativePath == u"top/z/t.jpg") {
            QVERIFY(item.isArchiveEntry());
            QCOMPARE(item.entryName, QStringLiteral("z/t.jpg"));
            QCOMPARE(item.sourcePath, path(QStringLiteral("top.zip")));
            QCOMPARE(item.sizeHint, qint64(1)); // declared uncompressed size
            QVERIFY(item.archiveBudget);
        }
    }
    QCOMPARE(scanner.counters().archives, 3);
    QCOMPARE(scanner.counters().archiveEntries, 3);
    QCOMPARE(scanner.counters().files, 2);
}

void tst_InputScanner::missingInputIsRejected()
{
    InputScanner scanner({path(QStringLiteral("nope"))});
    const auto item = scanner.next();
    QVERIFY(item);
    QVERIFY(item->isRejected());
    QCOMPARE(item->rejection, QStringLiteral("no such file or folder"));
    QVERIFY(!scanner.next());
}

void tst_InputScanner::archiveEntriesAndUnsafeNames_data()
{
    QTest::addColumn<QString>("entry");
    QTest::addColumn<bool>("symlink");
    QTest::addColumn<QString>("reason"); // empty: accepted
    QTest::newRow("plain") << "ok/x.png" << false << "";
    QTest::newRow("parent") << "../../x.png" << false << "\"..\"";
    QTest::newRow("parent via backslash") << "..\\..\\x.png" << false << "\"..\"";
    QTest::newRow("absolute") << "/etc/x.png" << false << "absolute";
    QTest::newRow("drive letter") << "C:\\x.png" << false << "drive letter";
    QTest::newRow("climb in the middle") << "a/../../x.png" << false << "\"..\"";
    QTest::newRow("control char") << "x\x01.png" << false << "control";
    QTest::newRow("symlink") << "link.png" << true << "symbolic link";
}

void tst_InputScanner::archiveEntriesAndUnsafeNames()
{
    QFETCH(QString, entry);
    QFETCH(bool, symlink);
    QFETCH(QString, reason);
    const QString zip = path(QStringLiteral("s.zip"));
    QVERIFY(writeZip(zip, {{entry, QByteArray("data"), symlink}, {QStringLiteral("dir/"), {}}}));
    InputScanner scanner({zip});
    const QList<InputItem> items = drain(scanner);
    QCOMPARE(items.size(), 1); // the directory entry is not an item
    const InputItem &item = items.first();
    if (reason.isEmpty()) {
        QVERIFY(!item.isRejected());
        QCOMPARE(item.relativePath, QStringLiteral("s/") + entry);
        return;
    }
    QVERIFY(item.isRejected());
    QVERIFY2(item.rejection.contains(reason), qPrintable(item.rejection));
    QCOMPARE(scanner.counters().rejected, 1);
}

void tst_InputScanner::archiveLimits_data()
{
    QTest::addColumn<int>("entries");
    QTest::addColumn<int>("entryBytes");
    QTest::addColumn<qint64>("maxEntries");
    QTest::addColumn<qint64>("maxEntryBytes");
    QTest::addColumn<qint64>("maxArchiveBytes");
    QTest::addColumn<int>("accepted");
    QTest::addColumn<QString>("reason");
    QTest::newRow("within limits")
        << 3 << 100 << qint64(3) << qint64(100) << qint64(300) << 3 << "";
    QTest::newRow("too many entries") << 4 << 10 << qint64(3) << qint64(0) << qint64(0) << 0
                                      << "4 entries, over the 3 entry limit";
    QTest::newRow("entry too big") << 2 << 101 << qint64(0) << qint64(100) << qint64(0) << 0
                                   << "over the 100 byte entry limit";
    QTest::newRow("archive too big")
        << 3 << 100 << qint64(0) << qint64(0) << qint64(250) << 2 << "total limit";
    QTest::newRow("bomb ratio") << 1 << 4 * 1024 * 1024 << qint64(0) << qint64(0) << qint64(0) << 0
                                << "compression ratio";
}

void tst_InputScanner::archiveLimits()
{
    QFETCH(int, entries);
    QFETCH(int, entryBytes);
    QFETCH(qint64, maxEntries);
    QFETCH(qint64, maxEntryBytes);
    QFETCH(qint64, maxArchiveBytes);
    QFETCH(int, accepted);
    QFETCH(QString, reason);
    QList<ZipEntry> zipEntries;
    for (int i = 0; i < entries; ++i)
        zipEntries << ZipEntry{QStringLiteral("e%1.png").arg(i), QByteArray(entryBytes, '\0')};
    const QString zip = path(QStringLiteral("l.zip"));
    QVERIFY(writeZip(zip, zipEntries));
    InputLimits limits;
    limits.maxArchiveEntries = maxEntries;
    limits.maxEntryBytes = maxEntryBytes;
    limits.maxArchiveBytes = maxArchiveBytes;
    InputScanner scanner({zip}, limits);
    const QList<InputItem> items = drain(scanner);
    QCOMPARE(relativePaths(items).size(), accepted);
    if (!reason.isEmpty()) {
        const QStringList rejected = relativePaths(items, true);
        QVERIFY(!rejected.isEmpty());
        for (const InputItem &item : items) {
            if (item.isRejected())
                QVERIFY2(item.rejection.contains(reason), qPrintable(item.rejection));
        }
    }
}

// Links to folders are followed (issue 12: a linked folder was skipped without a word), except
// into a loop or into a folder scanned already; each of those is one skipped item.
void tst_InputScanner::symlinkedFoldersAreFollowedOnce()
{
    writeFile(path(QStringLiteral("photos/a.jpg")), "a");
    writeFile(path(QStringLiteral("elsewhere/b.jpg")), "b");
    QVERIFY(QFile::link(path(QStringLiteral("photos")), path(QStringLiteral("photos/loop"))));
    QVERIFY(QFile::link(path(QStringLiteral("elsewhere")), path(QStringLiteral("photos/one"))));
    QVERIFY(QFile::link(path(QStringLiteral("elsewhere")), path(QStringLiteral("photos/two"))));
    InputScanner scanner({path(QStringLiteral("photos"))});
    const QList<InputItem> items = drain(scanner);
    const QStringList files = relativePaths(items);
    QCOMPARE(files.size(), 2);
    QCOMPARE(files.first(), QStringLiteral("photos/a.jpg"));
    // b.jpg once, through whichever link came first in directory order.
    QVERIFY(files.last() == QLatin1String("photos/one/b.jpg") ||
            files.last() == QLatin1String("photos/two/b.jpg"));
    const QString second = files.last().startsWith(QLatin1String("photos/one"))
                               ? QStringLiteral("photos/two")
                               : QStringLiteral("photos/one");
    QCOMPARE(skippedPaths(items),
             (QStringList{QStringLiteral("photos/loop loop"), second + QStringLiteral(" repeat")}));
    QCOMPARE(scanner.counters().skipped, 2);
    QCOMPARE(scanner.counters().excluded, 0);
}

void tst_InputScanner::hiddenFilesAndFoldersAreSkipped_data()
{
    QTest::addColumn<bool>("includeHidden");
    QTest::newRow("default: skipped") << false;
    QTest::newRow("--hidden: inputs") << true;
}

void tst_InputScanner::hiddenFilesAndFoldersAreSkipped()
{
    QFETCH(bool, includeHidden);
    writeFile(path(QStringLiteral("photos/a.jpg")), "a");
    writeFile(path(QStringLiteral("photos/.hidden.jpg")), "h");
    writeFile(path(QStringLiteral("photos/.thumbs/t1.jpg")), "t");
    writeFile(path(QStringLiteral("photos/.thumbs/t2.jpg")), "t");
    InputScanner scanner({path(QStringLiteral("photos"))});
    scanner.setIncludeHidden(includeHidden);
    const QList<InputItem> items = drain(scanner);
    if (includeHidden) {
        QCOMPARE(relativePaths(items), (QStringList{QStringLiteral("photos/.hidden.jpg"),
                                                    QStringLiteral("photos/.thumbs/t1.jpg"),
                                                    QStringLiteral("photos/.thumbs/t2.jpg"),
                                                    QStringLiteral("photos/a.jpg")}));
        QVERIFY(skippedPaths(items).isEmpty());
        return;
    }
    QCOMPARE(relativePaths(items), QStringList{QStringLiteral("photos/a.jpg")});
    // The file and the folder (not entered) are each one skipped item: counted, not lost.
    QCOMPARE(skippedPaths(items), (QStringList{QStringLiteral("photos/.hidden.jpg hidden"),
                                               QStringLiteral("photos/.thumbs hidden")}));
    QCOMPARE(scanner.counters().skipped, 2);
}

// Folders and archives that Sluice wrote (known by their markers) are skipped inside a tree,
// so a later run over the tree does not process earlier outputs as photographs; given
// explicitly, such a folder is scanned as asked.
void tst_InputScanner::sluiceOutputsAreSkipped()
{
    writeFile(path(QStringLiteral("shoot/day1/a.jpg")), "a");
    writeFile(path(QStringLiteral("shoot/day1-sluice/a.jpg")), "o");
    writeFile(path(QStringLiteral("shoot/day1-sluice/") + QLatin1String(OutputMarkerFile)), "");
    QVERIFY(writeZip(path(QStringLiteral("shoot/web.zip")), {{QStringLiteral("a.jpg"), "z"}}));
    QVERIFY(writeZip(path(QStringLiteral("shoot/supplier.zip")), {{QStringLiteral("s.jpg"), "s"}}));
    {
        QuaZip zip(path(QStringLiteral("shoot/web.zip")));
        QVERIFY(zip.open(QuaZip::mdAdd));
        zip.setComment(QString::fromLatin1(OutputMarkerComment));
        zip.close();
    }
    InputScanner scanner({path(QStringLiteral("shoot"))});
    const QList<InputItem> items = drain(scanner);
    QCOMPARE(relativePaths(items), (QStringList{QStringLiteral("shoot/day1/a.jpg"),
                                                QStringLiteral("shoot/supplier/s.jpg")}));
    QCOMPARE(skippedPaths(items), (QStringList{QStringLiteral("shoot/day1-sluice sluice output"),
                                               QStringLiteral("shoot/web.zip sluice output")}));

    InputScanner explicitRoot({path(QStringLiteral("shoot/day1-sluice"))});
    QCOMPARE(relativePaths(drain(explicitRoot)), QStringList{QStringLiteral("day1-sluice/a.jpg")});
}

QTEST_GUILESS_MAIN(tst_InputScanner)
#include "tst_inputscanner.moc"
