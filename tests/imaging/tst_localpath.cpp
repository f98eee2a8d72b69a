// File names as bytes: the surrogate-escape round trip (every byte string decodes to a QString
// that encodes back to the same bytes, valid UTF-8 decodes as Qt does), the readable and
// escaped forms, and listing, stat and open through the bytes.
#include <QTemporaryDir>
#include <QTest>
#include <fcntl.h>
#include <localpath.h>
#include <unistd.h>

using namespace sluice;

class tst_LocalPath : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("escapes");
        QTest::newRow("ascii") << QByteArray("/photos/a.jpg") << false;
        QTest::newRow("utf-8") << QStringLiteral("/Fotos/Ünïcødé 写真 🎞.jpg").toUtf8()
                               << false;
        QTest::newRow("latin-1 byte") << QByteArray("caf\xe9.jpg") << true;
        QTest::newRow("0xff") << QByteArray("dir\xff") << true;
        QTest::newRow("lone continuation") << QByteArray("a\x80z") << true;
        QTest::newRow("truncated sequence") << QByteArray("a\xe6\x97") << true;
        QTest::newRow("overlong slash") << QByteArray("a\xc0\xafz") << true;
        QTest::newRow("encoded surrogate") << QByteArray("a\xed\xa0\x80z") << true;
        QTest::newRow("past U+10FFFF") << QByteArray("a\xf4\x90\x80\x80z") << true;
        QTest::newRow("mixed") << QByteArray("\xe5\x86\x99\xe9\xe5\x86\x99") << true;
    }
    void roundTrip()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, escapes);
        const QString name = localpath::decode(bytes);
        QCOMPARE(localpath::encode(name), bytes);
        QCOMPARE(localpath::hasEscapes(name), escapes);
        if (!escapes)
            QCOMPARE(name, QString::fromUtf8(bytes));
        // The readable form is valid text: it survives UTF-8 both ways.
        const QString readable = localpath::readable(name);
        QCOMPARE(QString::fromUtf8(readable.toUtf8()), readable);
        QVERIFY(!localpath::hasEscapes(readable));
        QCOMPARE(localpath::escaped(name).contains(QStringLiteral("\\x")), escapes);
    }

    void readableAndEscapedForms()
    {
        const QString name = localpath::decode("caf\xe9.jpg");
        QCOMPARE(localpath::readable(name), QStringLiteral("café.jpg"));
        QCOMPARE(localpath::escaped(name), QStringLiteral("caf\\xe9.jpg"));
    }

    void listStatAndOpenThroughTheBytes()
    {
        QTemporaryDir dir;
        const QByteArray root = QFile::encodeName(dir.path());
        const QByteArray raw = root + "/caf\xe9.jpg";
        const int fd = ::open(raw.constData(), O_WRONLY | O_CREAT, 0644);
        QVERIFY(fd >= 0);
        QCOMPARE(::write(fd, "12345", 5), ssize_t(5));
        ::close(fd);
        const auto cleanup = qScopeGuard([&] { ::unlink(raw.constData()); });

        localpath::DirReader reader(dir.path());
        QVERIFY(reader.isOpen());
        const QString listed = reader.next();
        QCOMPARE(localpath::encode(listed), QByteArray("caf\xe9.jpg"));
        QVERIFY(reader.next().isEmpty());

        const QString path = dir.path() + QLatin1Char('/') + listed;
        const localpath::Status status = localpath::status(path);
        QVERIFY(status.exists);
        QVERIFY(status.isFile);
        QVERIFY(!status.isDir);
        QCOMPARE(status.size, qint64(5));
        QVERIFY(status.modified.isValid());
        QCOMPARE(localpath::encode(localpath::canonical(path)),
                 QFile::encodeName(QFileInfo(dir.path()).canonicalFilePath()) + "/caf\xe9.jpg");
        const auto file = localpath::openForReading(path);
        QVERIFY(file->isOpen());
        QCOMPARE(file->readAll(), QByteArray("12345"));

        QVERIFY(!localpath::status(path + QStringLiteral(".missing")).exists);
        QVERIFY(localpath::canonical(path + QStringLiteral(".missing")).isEmpty());
        QVERIFY(!localpath::openForReading(path + QStringLiteral(".missing"))->isOpen());
        QVERIFY(!localpath::DirReader(path + QStringLiteral(".missing")).isOpen());
    }
};

QTEST_GUILESS_MAIN(tst_LocalPath)
#include "tst_localpath.moc"
