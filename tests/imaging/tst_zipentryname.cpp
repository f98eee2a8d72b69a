#include <QtTest>
#include <zipentryname.h>

using namespace sluice;

class tst_ZipEntryName : public QObject
{
    Q_OBJECT

private slots:
    void sanitize_data();
    void sanitize();
};

void tst_ZipEntryName::sanitize_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("expected"); // empty: rejected
    QTest::addColumn<QString>("reason");   // part of the rejection reason

    QTest::newRow("plain") << "x.png"
                           << "x.png"
                           << "";
    QTest::newRow("nested") << "a/b/x.png"
                            << "a/b/x.png"
                            << "";
    QTest::newRow("dot parts dropped") << "./a//b/./x.png"
                                       << "a/b/x.png"
                                       << "";
    QTest::newRow("windows separators") << "a\\b\\x.png"
                                        << "a/b/x.png"
                                        << "";
    QTest::newRow("dots in a name are fine") << "a/..x.png"
                                             << "a/..x.png"
                                             << "";
    QTest::newRow("parent") << "../../x.png"
                            << ""
                            << "\"..\"";
    QTest::newRow("parent via backslash") << "..\\..\\x.png"
                                          << ""
                                          << "\"..\"";
    QTest::newRow("absolute") << "/etc/x.png"
                              << ""
                              << "absolute";
    QTest::newRow("UNC") << "\\\\server\\share\\x.png"
                         << ""
                         << "absolute";
    QTest::newRow("drive letter") << "C:\\x.png"
                                  << ""
                                  << "drive letter";
    QTest::newRow("drive relative") << "C:x.png"
                                    << ""
                                    << "drive letter";
    QTest::newRow("climb in the middle") << "a/../../x.png"
                                         << ""
                                         << "\"..\"";
    QTest::newRow("climb back in") << "a/../x.png"
                                   << ""
                                   << "\"..\"";
    QTest::newRow("NUL") << QString::fromUtf8("x.png\0.txt", 10) << ""
                         << "control";
    QTest::newRow("newline") << "a\nb.png"
                             << ""
                             << "control";
    QTest::newRow("directory only") << "a/"
                                    << ""
                                    << "no file name";
    QTest::newRow("empty") << ""
                           << ""
                           << "empty";
}

void tst_ZipEntryName::sanitize()
{
    QFETCH(QString, raw);
    QFETCH(QString, expected);
    QFETCH(QString, reason);
    QString why;
    const auto clean = ZipEntryName::sanitize(raw, &why);
    if (expected.isEmpty()) {
        QVERIFY2(!clean, qPrintable(clean.value_or(QString())));
        QVERIFY2(why.contains(reason), qPrintable(why));
    } else {
        QVERIFY2(clean, qPrintable(why));
        QCOMPARE(*clean, expected);
    }
}

QTEST_GUILESS_MAIN(tst_ZipEntryName)
#include "tst_zipentryname.moc"
