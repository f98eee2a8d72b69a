// Command-line parsing for sluice-cli: arguments in, a CliOptions (or a message and an exit
// code) out. Pure: no I/O, no side effects, so the rules can be read in one place.
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <poolsetup.h>
#include <pooltypes.h>
#include <recipe.h>

namespace sluice::cli {

struct CliOptions
{
    QStringList inputs;
    QString output;
    bool outputIsZip = false; // OUTPUT ends in .zip: one archive instead of a folder
    Recipe recipe;
    bool sizeGiven = false; // --demo picks a smaller default size when --size is absent

    int workers = 0; // 0: one per core
    bool autoWorkers = false;
    double ratePerSecond = 0;     // 0: unlimited
    int retries = DefaultRetries; // extra runs after the first, for transient failures
    Priority priority = Priority::Normal;

    QString reportPath;
    bool reportIsCsv = false;
    bool demo = false;
    bool resume = false;
    bool journal = true; // --no-journal turns it off (the demo keeps none either)
    bool quiet = false;
    bool includeHidden = false; // --hidden: dot-files and dot-folders are inputs too
    QStringList notes;          // options the output format does not use, said once

    // --shard K/N: K is 1-based on the command line, stored 0-based here. With N > 1 a ZIP
    // output and the report are this shard's own files (shardFileName()).
    int shardIndex = 0;
    int shardCount = 1;

    // --merge-reports REPORT... -o MERGED: no run, the shards' reports joined into one
    // (reportmerge.h). `inputs` then holds the reports; --expect gives the run's INPUTs.
    bool mergeReports = false;
    QStringList expectedInputs;
};

struct ParseOutcome
{
    enum class Kind : quint8
    {
        Run,       // options are valid
        ExitOk,    // --help or --version: print `message` on stdout, exit 0
        UsageError // print `message` on stderr, exit 2
    };
    Kind kind = Kind::Run;
    CliOptions options;
    QString message;
};

// `arguments` includes the program name first, as QCoreApplication::arguments() gives it.
// `environment` is read for --shard auto only.
ParseOutcome
parseCommandLine(const QStringList &arguments,
                 const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

// "3/8" -> {2, 8} (0-based index). N is 1..1000000 and K is 1..N.
bool parseShard(const QString &text, int *index, int *count, QString *error);
// --shard auto: K and N from a scheduler's environment. A Slurm job array (SLURM_ARRAY_TASK_ID,
// _MIN, _COUNT, and _STEP and _MAX where set: a range with a step is fine, a list of IDs is
// refused), or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with N from `shards` (--shards),
// else SLUICE_SHARD_COUNT). `shards` is 0 when not given; with Slurm it must agree. `origin`
// says where K and N came from, for a note.
bool shardFromEnvironment(const QProcessEnvironment &environment, int shards, int *index,
                          int *count, QString *origin, QString *error);
// A shard's own file beside the path: "web.zip", shard 3 of 8 -> "web-shard-3-of-8.zip"
// ("-shard-03-of-12" for 12, so that names sort in shard order).
QString shardFileName(const QString &path, int index, int count);
// "auto", or 1..1024.
bool parseWorkers(const QString &text, int *workers, bool *autoWorkers, QString *error);

} // namespace sluice::cli
