#include "testimages.h"

#include <QTemporaryDir>
#include <QtTest>
#include <failpoints.h>
#include <foldersink.h>
#include <sys/mount.h>
#include <thread>
#include <unistd.h>

using namespace sluice;
using namespace testimages;

namespace {

OutputRequest request(const QString &relativePath, const QString &ext = QStringLiteral("jpg"),
                      QSize size = QSize(100, 50), qint64 index = 0)
{
    OutputRequest r;
    r.item = InputItem::fromFile(QStringLiteral("/in/") + relativePath, relativePath);
    r.item.index = index;
    r.extension = ext;
    r.outputSize = size;
    r.fingerprint = Recipe().fingerprint();
    return r;
}

Recipe recipeWith(ConflictPolicy policy, bool mirror = true,
                  const QString &nameTemplate = QStringLiteral("{name}.{ext}"))
{
    Recipe recipe;
    recipe.conflict = policy;
    recipe.mirrorTree = mirror;
    recipe.nameTemplate = nameTemplate;
    return recipe;
}

// An output as processImage() would leave it: a PNG carrying the fingerprint and source keys.
void writeTaggedOutput(const QString &path, const QString &fingerprint, const QString &source)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QImageWriter writer(path, "png");
    writer.setText(QLatin1String(FingerprintKey), fingerprint);
    writer.setText(QLatin1String(SourceKey), source);
    QVERIFY(writer.write(quadrants(QSize(8, 8))));
}

} // namespace

class tst_FolderSink : public QObject
{
    Q_OBJECT

private:
    QString out(const QString &name = {}) const
    {
        return name.isEmpty() ? m_dir->filePath(QStringLiteral("out"))
                              : m_dir->filePath(QStringLiteral("out/") + name);
    }
    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void init();
    void namingTemplate_data();
    void namingTemplate();
    void namingTemplateTokens_data();
    void namingTemplateTokens();
    void namingTemplateCapture_data();
    void namingTemplateCapture();
    void numberedVariant_data();
    void numberedVariant();
    void mirroredTreeOrFlat_data();
    void mirroredTreeOrFlat();
    void conflictPolicies_data();
    void conflictPolicies();
    void sameNameTwiceInOneRun_data();
    void sameNameTwiceInOneRun();
    void concurrentReservationsAreUnique();
    void neverOverwritesAnInput();
    void commitWritesAtomically();
    void canceledCommitLeavesNothing();
    void incremental_data();
    void incremental();
    void fullDiskIsReportedAndLeavesNothing();
    void injectedDiskFull();
};

void tst_FolderSink::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_FolderSink::namingTemplate_data()
{
    QTest::addColumn<QString>("nameTemplate");
    QTest::addColumn<QString>("relativePath");
    QTest::addColumn<QString>("expected");
    QTest::newRow("default") << "{name}.{ext}"
                             << "p/a.png"
                             << "a.jpg";
    QTest::newRow("size") << "{name}_{w}x{h}.{ext}"
                          << "a.png"
                          << "a_100x50.jpg";
    QTest::newRow("index") << "{index}-{name}.{ext}"
                           << "a.png"
                           << "7-a.jpg";
    QTest::newRow("dots in name") << "{name}.{ext}"
                                  << "a.b.c.png"
                                  << "a.b.c.jpg";
    QTest::newRow("no extension") << "{name}.{ext}"
                                  << "README"
                                  << "README.jpg";
    QTest::newRow("slash cannot climb") << "../{name}.{ext}"
                                        << "a.png"
                                        << ".._a.jpg";
    QTest::newRow("backslash too") << "..\\{name}.{ext}"
                                   << "a.png"
                                   << ".._a.jpg";
    QTest::newRow("empty result") << ""
                                  << "a.png"
                                  << "_";
    QTest::newRow("dotdot result") << ".."
                                   << "a.png"
                                   << "_";
    QTest::newRow("counter from 1") << "{n}-{name}.{ext}"
                                    << "a.png"
                                    << "8-a.jpg";
    QTest::newRow("padded counter") << "shoot_{n:4}.{ext}"
                                    << "a.png"
                                    << "shoot_0008.jpg";
    QTest::newRow("token text in a base name stays") << "{name}_{w}.{ext}"
                                                     << "{w}{n:3}.png"
                                                     << "{w}{n:3}_100.jpg";
    QTest::newRow("control character") << "{name}.{ext}"
                                       << "a\x7f.png"
                                       << "a_.jpg";
}

void tst_FolderSink::namingTemplate()
{
    QFETCH(QString, nameTemplate);
    QFETCH(QString, relativePath);
    QFETCH(QString, expected);
    QCOMPARE(applyNamingTemplate(nameTemplate,
                                 request(relativePath, QStringLiteral("jpg"), QSize(100, 50), 7)),
             expected);
}

// Issue 14: an unknown token is an error, named, instead of passing into every output's name.
void tst_FolderSink::namingTemplateTokens_data()
{
    QTest::addColumn<QString>("nameTemplate");
    QTest::addColumn<QString>("unknown");
    QTest::newRow("all known") << "{name}_{w}x{h}_{index}.{ext}"
                               << "";
    QTest::newRow("no tokens") << "photo.jpg"
                               << "";
    QTest::newRow("typo") << "{nme}_{w}.{ext}"
                          << "{nme}";
    QTest::newRow("second") << "{name}_{width}.{ext}"
                            << "{width}";
    QTest::newRow("empty braces") << "{name}{}.{ext}"
                                  << "{}";
    QTest::newRow("case") << "{Name}.{ext}"
                          << "{Name}";
    QTest::newRow("lone brace") << "{name.{ext}"
                                << "";
    QTest::newRow("new tokens") << "{date}_{date:yyyyMMdd_HHmmss}_{camera}_{n}_{n:4}.{ext}"
                                << "";
    QTest::newRow("counter width 0") << "{n:0}.{ext}"
                                     << "{n:0}";
    QTest::newRow("counter width not a number") << "{n:x}.{ext}"
                                                << "{n:x}";
    QTest::newRow("counter too wide") << "{n:10}.{ext}"
                                      << "{n:10}";
    QTest::newRow("date without a format") << "{date:}.{ext}"
                                           << "{date:}";
    QTest::newRow("argument on a plain token") << "{name:x}.{ext}"
                                               << "{name:x}";
}

// {date} and {camera} come from the capture info (read from EXIF/XMP before naming); without
// it {date} is the file's time and {camera} says so.
void tst_FolderSink::namingTemplateCapture_data()
{
    QTest::addColumn<QString>("nameTemplate");
    QTest::addColumn<QDateTime>("taken");
    QTest::addColumn<QString>("camera");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("notes");
    const QDateTime taken(QDate(2024, 6, 1), QTime(5, 12, 7), Qt::UTC);
    QTest::newRow("date default") << "{date}_{name}.{ext}" << taken << ""
                                  << "2024-06-01_a.jpg" << 0;
    QTest::newRow("date format") << "{date:yyyyMMdd_HHmmss}.{ext}" << taken << ""
                                 << "20240601_051207.jpg" << 0;
    QTest::newRow("month names are English in any language")
        << "{date:d MMMM yyyy}.{ext}" << taken << ""
        << "1 June 2024.jpg" << 0;
    QTest::newRow("offset kept as the camera showed it")
        << "{date:HH.mm}.{ext}"
        << QDateTime(QDate(2024, 6, 1), QTime(23, 30), Qt::OffsetFromUTC, -18000) << ""
        << "23.30.jpg" << 0;
    QTest::newRow("slash in a format cannot make folders") << "{date:yyyy/MM}.{ext}" << taken << ""
                                                           << "2024_06.jpg" << 0;
    QTest::newRow("no capture date: the file's time") << "{date}.{ext}" << QDateTime() << ""
                                                      << "2023-12-31.jpg" << 1;
    QTest::newRow("camera") << "{camera}_{name}.{ext}" << taken << "  Canon EOS R5 "
                            << "Canon EOS R5_a.jpg" << 0;
    QTest::newRow("camera with a slash") << "{camera}.{ext}" << taken << "AC/DC 1"
                                         << "AC_DC 1.jpg" << 0;
    QTest::newRow("no camera") << "{camera}.{ext}" << taken << ""
                               << "unknown camera.jpg" << 1;
    QTest::newRow("neither, both noted") << "{date}{camera}.{ext}" << QDateTime() << ""
                                         << "2023-12-31unknown camera.jpg" << 2;
}

void tst_FolderSink::namingTemplateCapture()
{
    QFETCH(QString, nameTemplate);
    QFETCH(QDateTime, taken);
    QFETCH(QString, camera);
    QFETCH(QString, expected);
    QFETCH(int, notes);
    QVERIFY(namingTemplateNeedsCapture(nameTemplate));
    QVERIFY(namingTemplateError(nameTemplate).isEmpty());
    OutputRequest r = request(QStringLiteral("a.png"));
    r.sourceModified = QDateTime(QDate(2023, 12, 31), QTime(22, 0));
    r.capture.taken = taken;
    r.capture.cameraModel = camera;
    QCOMPARE(applyNamingTemplate(nameTemplate, r), expected);
    QCOMPARE(namingNotes(nameTemplate, r).size(), notes);
}

void tst_FolderSink::namingTemplateTokens()
{
    QFETCH(QString, nameTemplate);
    QFETCH(QString, unknown);
    QCOMPARE(unknownNamingToken(nameTemplate), unknown);
    const QString error = namingTemplateError(nameTemplate);
    QCOMPARE(error.isEmpty(), unknown.isEmpty());
    if (!unknown.isEmpty())
        QVERIFY(error.contains(unknown));
}

void tst_FolderSink::numberedVariant_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("expected");
    QTest::newRow("simple") << "a.jpg" << 1 << "a (1).jpg";
    QTest::newRow("folder") << "x/y/a.jpg" << 2 << "x/y/a (2).jpg";
    QTest::newRow("no suffix") << "x/a" << 3 << "x/a (3)";
    QTest::newRow("dot file") << ".a" << 1 << ".a (1)";
}

void tst_FolderSink::numberedVariant()
{
    QFETCH(QString, path);
    QFETCH(int, n);
    QFETCH(QString, expected);
    QCOMPARE(sluice::numberedVariant(path, n), expected);
}

void tst_FolderSink::mirroredTreeOrFlat_data()
{
    QTest::addColumn<bool>("mirror");
    QTest::addColumn<QString>("expected");
    QTest::newRow("mirrored") << true << "photos/2024/a.jpg";
    QTest::newRow("flat") << false << "a.jpg";
}

void tst_FolderSink::mirroredTreeOrFlat()
{
    QFETCH(bool, mirror);
    QFETCH(QString, expected);
    FolderSink sink(out(), recipeWith(ConflictPolicy::Rename, mirror));
    const Reservation r = sink.reserve(request(QStringLiteral("photos/2024/a.png")));
    QVERIFY(r.action == Reservation::Action::Write);
    QCOMPARE(r.path, out(expected));
    FakeTask task;
    QVERIFY(sink.commit(r, "bytes", task.ctx).ok);
    QCOMPARE(listFiles(out()), QStringList{expected});
}

void tst_FolderSink::conflictPolicies_data()
{
    QTest::addColumn<int>("policy");
    QTest::addColumn<QStringList>("existing");
    QTest::addColumn<int>("action");
    QTest::addColumn<QString>("expected");
    const int write = int(Reservation::Action::Write);
    QTest::newRow("free") << int(ConflictPolicy::Rename) << QStringList() << write << "a.jpg";
    QTest::newRow("rename") << int(ConflictPolicy::Rename) << QStringList{"a.jpg"} << write
                            << "a (1).jpg";
    QTest::newRow("rename twice") << int(ConflictPolicy::Rename)
                                  << QStringList{"a.jpg", "a (1).jpg"} << write << "a (2).jpg";
    QTest::newRow("overwrite") << int(ConflictPolicy::Overwrite) << QStringList{"a.jpg"} << write
                               << "a.jpg";
    QTest::newRow("skip") << int(ConflictPolicy::Skip) << QStringList{"a.jpg"}
                          << int(Reservation::Action::SkipExists) << "a.jpg";
    QTest::newRow("overwrite never replaces a folder")
        << int(ConflictPolicy::Overwrite) << QStringList{"a.jpg/"} << write << "a (1).jpg";
}

void tst_FolderSink::conflictPolicies()
{
    QFETCH(int, policy);
    QFETCH(QStringList, existing);
    QFETCH(int, action);
    QFETCH(QString, expected);
    for (const QString &name : existing) {
        if (name.endsWith(QLatin1Char('/')))
            QDir().mkpath(out(name));
        else
            writeFile(out(name), "old, from someone else");
    }
    FolderSink sink(out(), recipeWith(ConflictPolicy(policy), false));
    const Reservation r = sink.reserve(request(QStringLiteral("a.png")));
    QCOMPARE(int(r.action), action);
    QCOMPARE(r.path, out(expected));
}

void tst_FolderSink::sameNameTwiceInOneRun_data()
{
    QTest::addColumn<int>("policy");
    QTest::addColumn<int>("secondAction");
    QTest::addColumn<QString>("secondPath");
    const int write = int(Reservation::Action::Write);
    QTest::newRow("rename") << int(ConflictPolicy::Rename) << write << "a (1).jpg";
    // Overwrite is about files from before the run; two inputs of one run never clobber.
    QTest::newRow("overwrite") << int(ConflictPolicy::Overwrite) << write << "a (1).jpg";
    QTest::newRow("skip") << int(ConflictPolicy::Skip) << int(Reservation::Action::SkipExists)
                          << "a.jpg";
}

void tst_FolderSink::sameNameTwiceInOneRun()
{
    QFETCH(int, policy);
    QFETCH(int, secondAction);
    QFETCH(QString, secondPath);
    FolderSink sink(out(), recipeWith(ConflictPolicy(policy), false));
    const Reservation first = sink.reserve(request(QStringLiteral("x/a.png")));
    const Reservation second = sink.reserve(request(QStringLiteral("y/a.png")));
    QVERIFY(first.action == Reservation::Action::Write);
    QCOMPARE(first.path, out(QStringLiteral("a.jpg")));
    QCOMPARE(int(second.action), secondAction);
    QCOMPARE(second.path, out(secondPath));
    // Released names are free again.
    sink.release(first);
    QCOMPARE(sink.reserve(request(QStringLiteral("z/a.png"))).path, out(QStringLiteral("a.jpg")));
}

void tst_FolderSink::concurrentReservationsAreUnique()
{
    FolderSink sink(out(), recipeWith(ConflictPolicy::Rename, false));
    constexpr int Threads = 8, PerThread = 40;
    std::vector<std::vector<QString>> paths(Threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < Threads; ++t) {
        workers.emplace_back([&, t] {
            for (int i = 0; i < PerThread; ++i)
                paths[t].push_back(sink.reserve(request(QStringLiteral("a.png"))).path);
        });
    }
    for (auto &w : workers)
        w.join();
    QSet<QString> unique;
    for (const auto &list : paths) {
        for (const QString &p : list)
            unique.insert(p);
    }
    QCOMPARE(unique.size(), Threads * PerThread);
    QVERIFY(unique.contains(out(QStringLiteral("a.jpg"))));
    QVERIFY(unique.contains(out(QStringLiteral("a (%1).jpg").arg(Threads * PerThread - 1))));
}

void tst_FolderSink::neverOverwritesAnInput()
{
    // The input lives where its output would go (e.g. `sluice-cli out/a.jpg -o out`).
    const QString input = writeFile(out(QStringLiteral("a.jpg")), "the user's original");
    FolderSink sink(out(), recipeWith(ConflictPolicy::Overwrite, false));
    OutputRequest r = request(QStringLiteral("a.jpg"));
    r.item.sourcePath = input;
    const Reservation reservation = sink.reserve(r);
    QVERIFY(reservation.action == Reservation::Action::Write);
    QCOMPARE(reservation.path, out(QStringLiteral("a (1).jpg")));
}

void tst_FolderSink::commitWritesAtomically()
{
    writeFile(out(QStringLiteral("a.jpg")), "old");
    FolderSink sink(out(), recipeWith(ConflictPolicy::Overwrite, false));
    const Reservation r = sink.reserve(request(QStringLiteral("a.png")));
    FakeTask task;
    const CommitResult result = sink.commit(r, "new bytes", task.ctx);
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.bytes, qint64(9));
    QFile file(out(QStringLiteral("a.jpg")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("new bytes"));
    QCOMPARE(listFiles(out()), QStringList{QStringLiteral("a.jpg")}); // no temporary left
}

void tst_FolderSink::canceledCommitLeavesNothing()
{
    writeFile(out(QStringLiteral("keep.jpg")), "old");
    FolderSink sink(out(), recipeWith(ConflictPolicy::Overwrite, false));
    const Reservation r = sink.reserve(request(QStringLiteral("keep.png")));
    FakeTask task;
    task.canceled = true; // seen after the bytes are written, before the rename
    const CommitResult result = sink.commit(r, QByteArray(1 << 20, 'n'), task.ctx);
    QVERIFY(!result.ok);
    QVERIFY(result.canceled);
    QCOMPARE(listFiles(out()), QStringList{QStringLiteral("keep.jpg")});
    QFile file(out(QStringLiteral("keep.jpg")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("old")); // untouched
    QCOMPARE(sink.reserve(request(QStringLiteral("keep.png"))).path,
             out(QStringLiteral("keep.jpg")));
}

void tst_FolderSink::incremental_data()
{
    QTest::addColumn<bool>("sameFingerprint");
    QTest::addColumn<bool>("sameSource");
    QTest::addColumn<int>("inputAgeSecs"); // negative: the input is newer than the output
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<int>("action");
    QTest::addColumn<QString>("expected");
    const int write = int(Reservation::Action::Write);
    const int upToDate = int(Reservation::Action::SkipUpToDate);
    QTest::newRow("up to date") << true << true << 3600 << true << upToDate << "a.png";
    QTest::newRow("other recipe") << false << true << 3600 << true << write << "a (1).png";
    QTest::newRow("other input, same name")
        << true << false << 3600 << true << write << "a (1).png";
    QTest::newRow("input changed since") << true << true << -3600 << true << write << "a (1).png";
    QTest::newRow("incremental off") << true << true << 3600 << false << write << "a (1).png";
}

void tst_FolderSink::incremental()
{
    QFETCH(bool, sameFingerprint);
    QFETCH(bool, sameSource);
    QFETCH(int, inputAgeSecs);
    QFETCH(bool, enabled);
    QFETCH(int, action);
    QFETCH(QString, expected);
    OutputRequest r = request(QStringLiteral("photos/a.png"), QStringLiteral("png"));
    writeTaggedOutput(
        out(QStringLiteral("photos/a.png")),
        sameFingerprint ? r.fingerprint : QStringLiteral("0123456789abcdef"),
        sourceStamp(sameSource ? r.item.relativePath : QStringLiteral("other/a.png")));
    r.sourceModified =
        QFileInfo(out(QStringLiteral("photos/a.png"))).lastModified().addSecs(-inputAgeSecs);
    FolderSink sink(out(), recipeWith(ConflictPolicy::Rename));
    sink.setIncremental(enabled);
    const Reservation reservation = sink.reserve(r);
    QCOMPARE(int(reservation.action), action);
    QCOMPARE(reservation.path, out(QStringLiteral("photos/") + expected));
}

QTEST_GUILESS_MAIN(tst_FolderSink)
#include "tst_foldersink.moc"

// A real full file system: a 256 KiB tmpfs that the test mounts (root only; CI runs as root).
void tst_FolderSink::fullDiskIsReportedAndLeavesNothing()
{
    const QString mountPoint = out();
    QVERIFY(QDir().mkpath(mountPoint));
    if (geteuid() != 0 ||
        ::mount("tmpfs", QFile::encodeName(mountPoint).constData(), "tmpfs", 0, "size=256k") != 0)
        QSKIP("cannot mount a small tmpfs here (needs root); injectedDiskFull covers the rest");
    const auto unmount = qScopeGuard(
        [mountPoint] { ::umount2(QFile::encodeName(mountPoint).constData(), MNT_DETACH); });
    writeFile(out(QStringLiteral("filler.bin")), QByteArray(200 * 1024, 'f'));

    FolderSink sink(out(), recipeWith(ConflictPolicy::Rename, false));
    const Reservation r = sink.reserve(request(QStringLiteral("big.png")));
    QCOMPARE(int(r.action), int(Reservation::Action::Write));
    FakeTask task;
    const CommitResult result = sink.commit(r, QByteArray(512 * 1024, 'x'), task.ctx);
    QVERIFY(!result.ok);
    QVERIFY(result.diskFull);
    QVERIFY2(result.error.contains(QStringLiteral("disk is full")), qPrintable(result.error));
    QCOMPARE(listFiles(out()), QStringList{QStringLiteral("filler.bin")}); // no partial file
    // Once there is room, the same name is free and the write goes through.
    QVERIFY(QFile::remove(out(QStringLiteral("filler.bin"))));
    const Reservation again = sink.reserve(request(QStringLiteral("big.png")));
    QCOMPARE(again.path, out(QStringLiteral("big.jpg")));
    const CommitResult ok = sink.commit(again, QByteArray(100 * 1024, 'x'), task.ctx);
    QVERIFY2(ok.ok, qPrintable(ok.error));
    QCOMPARE(listFiles(out()), QStringList{QStringLiteral("big.jpg")});
}

void tst_FolderSink::injectedDiskFull()
{
    QVERIFY(Failpoints::configure(QStringLiteral("write=enospc:once")));
    const auto off = qScopeGuard([] { Failpoints::configure(QString()); });
    FolderSink sink(out(), recipeWith(ConflictPolicy::Rename, false));
    FakeTask task;
    const Reservation r = sink.reserve(request(QStringLiteral("a.png")));
    const CommitResult full = sink.commit(r, QByteArray(1000, 'x'), task.ctx);
    QVERIFY(!full.ok);
    QVERIFY(full.diskFull);
    QVERIFY2(full.error.contains(QStringLiteral("No space left on device")),
             qPrintable(full.error));
    QVERIFY(listFiles(out()).isEmpty());
    const Reservation again = sink.reserve(request(QStringLiteral("a.png")));
    QCOMPARE(again.path, r.path); // released: no "a (1).png" later
    QVERIFY(sink.commit(again, QByteArray(1000, 'x'), task.ctx).ok);
    QCOMPARE(listFiles(out()), QStringList{QStringLiteral("a.jpg")});
}
