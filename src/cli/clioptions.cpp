#include "clioptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <cmath>
#include <sink.h>

namespace sluice::cli {

namespace {

const char HelpDescription[] =
    "Resizes and converts images from files, folders and ZIP archives into a folder or one\n"
    "ZIP archive, on Sluice's worker pool.\n"
    "\n"
    "Exit codes: 0 all done or skipped, 1 some inputs failed (the rest were processed),\n"
    "2 usage error, 3 interrupted (Ctrl-C, SIGTERM) or canceled.\n"
    "\n"
    "Shards: --shard K/N keeps the inputs whose hash of their relative path (FNV-1a, the same\n"
    "on every host) falls in shard K of N, K counted from 1. Running K = 1..N covers every\n"
    "input exactly once. --shard auto takes K and N from a Slurm job array\n"
    "(sbatch --array=0-7) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shards N\n"
    "or SLUICE_SHARD_COUNT). With N > 1 a ZIP output and the --report file are the shard's\n"
    "own: web.zip becomes web-shard-3-of-8.zip. Join the reports afterwards with\n"
    "  sluice-cli --merge-reports report-shard-*.json -o report.json [--expect INPUT]...\n"
    "which says if an input is in two shards' reports, or (with --expect) in none.";

struct OptionSpec
{
    const char *names;
    const char *description;
    const char *valueName; // nullptr: a flag
    const char *defaultValue;
};

// One table, so that --help and the parser never disagree.
const OptionSpec Specs[] = {
    {"o,output", "Output folder, or a path ending in .zip for one archive.", "OUTPUT", nullptr},
    {"size", "Target size: N (an NxN box) or WxH.", "N|WxH", "1600"},
    {"mode", "Resize mode: fit, fill, exact, long-edge, short-edge, percent.", "MODE", "fit"},
    {"format",
     "Output format: keep (the input's; HEIC becomes jpg, formats Sluice cannot write png), jpg, "
     "png, webp, avif, jxl (JPEG XL).",
     "FORMAT", "keep"},
    {"quality", "Quality for lossy formats (JPEG, WebP, AVIF, JPEG XL), 0..100.", "Q", "85"},
    {"png-compression", "PNG compression level, 0 (fastest) .. 9 (smallest); pixels are the same.",
     "N", "6"},
    {"lossless", "Lossless WebP or JPEG XL (larger files; --quality is not used).", nullptr,
     nullptr},
    {"effort",
     "AVIF and JPEG XL: encoder effort, 1 (fastest) .. 9 (smallest files, slowest); default: "
     "JPEG XL 7 (as cjxl), AVIF 4 (libaom speed 6).",
     "N", "0"},
    {"progressive", "Write progressive JPEGs.", nullptr, nullptr},
    {"sharpen",
     "After reducing, a light unsharp mask (amount 0.5, radius 0.6 px, threshold 2 levels): "
     "crisper small images. Off by default; enlarged and unscaled images are left alone.",
     nullptr, nullptr},
    {"upscale", "Let fit, long-edge and short-edge enlarge smaller images.", nullptr, nullptr},
    {"flat", "Put every output directly in OUTPUT instead of mirroring the input tree.", nullptr,
     nullptr},
    {"name",
     "Output name template: {name} {ext} {w} {h}, {n} (from 1) or {n:4} (zero-padded), {index} "
     "(from 0), {date} or {date:yyyyMMdd_HHmmss} (capture date), {camera}.",
     "TEMPLATE", "{name}.{ext}"},
    {"keep-dates", "Give every output its input's modification time.", nullptr, nullptr},
    {"metadata",
     "The input's EXIF, XMP, IPTC and comments in outputs: keep (all, orientation and size "
     "corrected), public (without location, serial numbers, owner names, maker notes and edit "
     "history), none.",
     "WHAT", "keep"},
    {"on-conflict", "When an output name is taken: rename, overwrite, skip.", "POLICY", "rename"},
    {"color",
     "Output colours: srgb (converted from the input's profile, gray and wide-gamut included; "
     "what viewers assume), keep (the input's profile, pixels unchanged), strip (the profile "
     "removed, pixels unchanged).",
     "SPACE", "srgb"},
    {"max-pixels",
     "Refuse images that would decode to more pixels than this (JPEGs shrunk on decode count "
     "at their decoded size): N, or N MP; 0 for no limit.",
     "N", "100MP"},
    {"workers", "Worker threads: N (1..1024) or auto. Default: one per core.", "N|auto", nullptr},
    {"rate", "At most R images per second; 0 means unlimited.", "R", "0"},
    {"retries", "Retries of a transient failure (busy file, I/O hiccup), 0..100.", "N", "2"},
    {"priority", "Batch priority: high, normal, low.", "PRIORITY", "normal"},
    {"report", "Write a report of every input to FILE.json or FILE.csv.", "FILE", nullptr},
    {"demo", "Process the built-in sample images (into OUTPUT, or a new temporary folder).",
     nullptr, nullptr},
    {"resume",
     "Continue an interrupted, killed or crashed run of the same inputs and output from its "
     "journal: what was done is kept, what was in flight is redone (a ZIP output is rebuilt). "
     "With nothing to resume it simply runs.",
     nullptr, nullptr},
    {"no-journal", "Keep no journal of this run (it cannot be resumed after a kill or crash).",
     nullptr, nullptr},
    {"shard",
     "Process only shard K of N (1 <= K <= N) of the inputs; auto: K and N from the Slurm job "
     "array or Kubernetes Indexed Job this runs in.",
     "K/N|auto", nullptr},
    {"shards", "The number of shards for --shard auto in a Kubernetes Indexed Job.", "N", nullptr},
    {"merge-reports",
     "Join the JSON or CSV reports given as arguments (one per shard) into the report -o names, "
     "with totals; no images are processed.",
     nullptr, nullptr},
    {"expect",
     "With --merge-reports: an INPUT of the sharded run (repeat for each), so that an input in "
     "no report is found.",
     "INPUT", nullptr},
    {"hidden",
     "Take dot-files and dot-folders as inputs too (by default they are skipped as hidden).",
     nullptr, nullptr},
    {"q,quiet", "No progress and no summary; errors only.", nullptr, nullptr},
};

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QString::fromLatin1(HelpDescription));
    for (const OptionSpec &spec : Specs) {
        QCommandLineOption option(QString::fromLatin1(spec.names).split(QLatin1Char(',')),
                                  QString::fromLatin1(spec.description));
        if (spec.valueName)
            option.setValueName(QString::fromLatin1(spec.valueName));
        if (spec.defaultValue)
            option.setDefaultValue(QString::fromLatin1(spec.defaultValue));
        parser.addOption(option);
    }
    parser.addPositionalArgument(QStringLiteral("INPUT"),
                                 QStringLiteral("Image files, folders and ZIP archives."),
                                 QStringLiteral("INPUT..."));
}

bool parseRate(const QString &text, double *rate, QString *error)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0 || value > 1e6) {
        *error = QStringLiteral("--rate wants images per second, 0 (unlimited) or more, not "
                                "\"%1\"")
                     .arg(text);
        return false;
    }
    *rate = value;
    return true;
}

bool parseIntIn(const QString &text, int low, int high, const char *option, int *out,
                QString *error)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < low || value > high) {
        *error = QStringLiteral("%1 wants a whole number from %2 to %3, not \"%4\"")
                     .arg(QLatin1String(option))
                     .arg(low)
                     .arg(high)
                     .arg(text);
        return false;
    }
    *out = value;
    return true;
}

bool parsePriority(const QString &text, Priority *priority, QString *error)
{
    const QString t = text.toLower();
    if (t == QLatin1String("high"))
        *priority = Priority::High;
    else if (t == QLatin1String("normal"))
        *priority = Priority::Normal;
    else if (t == QLatin1String("low"))
        *priority = Priority::Low;
    else {
        *error = QStringLiteral("--priority wants high, normal or low, not \"%1\"").arg(text);
        return false;
    }
    return true;
}

// Runs one of imaging's parse helpers and stores its value, or prefixes its message.
template<typename T, typename Parse>
bool take(Parse parse, const QString &text, const char *option, T *out, QString *error)
{
    QString why;
    const auto value = parse(text, &why);
    if (!value) {
        *error = QStringLiteral("%1: %2").arg(QLatin1String(option), why);
        return false;
    }
    *out = *value;
    return true;
}

// Options that the chosen output format does not use, said once instead of ignored in silence.
// With --format keep the format is each input's own, so nothing is said.
QStringList notesOnIgnoredOptions(const QCommandLineParser &p, const Recipe &r)
{
    QStringList notes;
    if (r.format == OutputFormat::Keep)
        return notes;
    const OutputFormat f = r.format;
    const bool jpeg = f == OutputFormat::Jpeg, png = f == OutputFormat::Png,
               webp = f == OutputFormat::Webp, avif = f == OutputFormat::Avif,
               jxl = f == OutputFormat::Jxl;
    const QString named = jpeg   ? QStringLiteral("JPEG")
                          : png  ? QStringLiteral("PNG")
                          : webp ? QStringLiteral("WebP")
                          : avif ? QStringLiteral("AVIF")
                                 : QStringLiteral("JPEG XL");
    if (r.progressive && !jpeg)
        notes << QStringLiteral("--progressive applies to JPEG outputs only; %1 outputs ignore it")
                     .arg(named);
    if (r.lossless && !webp && !jxl)
        notes << QStringLiteral("--lossless applies to WebP and JPEG XL outputs only; %1 outputs "
                                "ignore it")
                     .arg(named);
    if (p.isSet(QStringLiteral("png-compression")) && !png)
        notes << QStringLiteral("--png-compression applies to PNG outputs only; %1 outputs "
                                "ignore it")
                     .arg(named);
    if (p.isSet(QStringLiteral("effort")) && !avif && !jxl)
        notes << QStringLiteral("--effort applies to AVIF and JPEG XL outputs only; %1 outputs "
                                "ignore it")
                     .arg(named);
    if (p.isSet(QStringLiteral("quality")) && (png || ((webp || jxl) && r.lossless)))
        notes << QStringLiteral("--quality is not used for lossless %1 outputs").arg(named);
    return notes;
}

bool applyRecipeOptions(const QCommandLineParser &p, CliOptions &o, QString *error)
{
    Recipe &r = o.recipe;
    o.sizeGiven = p.isSet(QStringLiteral("size"));
    if (!take(parseSize, p.value(QStringLiteral("size")), "--size", &r.targetSize, error) ||
        !take(parseResizeMode, p.value(QStringLiteral("mode")), "--mode", &r.mode, error) ||
        !take(parseOutputFormat, p.value(QStringLiteral("format")), "--format", &r.format, error) ||
        !take(parseQuality, p.value(QStringLiteral("quality")), "--quality", &r.quality, error) ||
        !take(parseConflictPolicy, p.value(QStringLiteral("on-conflict")), "--on-conflict",
              &r.conflict, error) ||
        !take(parseMetadataPolicy, p.value(QStringLiteral("metadata")), "--metadata", &r.metadata,
              error) ||
        !take(parseColourPolicy, p.value(QStringLiteral("color")), "--color", &r.colour, error) ||
        !take(parsePixelLimit, p.value(QStringLiteral("max-pixels")), "--max-pixels",
              &r.limits.maxPixels, error) ||
        !parseIntIn(p.value(QStringLiteral("png-compression")), 0, 9, "--png-compression",
                    &r.pngCompression, error) ||
        !parseIntIn(p.value(QStringLiteral("effort")), 0, 9, "--effort", &r.effort, error))
        return false;
    r.nameTemplate = p.value(QStringLiteral("name"));
    if (r.nameTemplate.trimmed().isEmpty()) {
        *error = QStringLiteral("--name wants a template such as \"{name}_{w}.{ext}\"");
        return false;
    }
    if (const QString why = namingTemplateError(r.nameTemplate); !why.isEmpty()) {
        *error = QStringLiteral("--name: %1").arg(why);
        return false;
    }
    r.progressive = p.isSet(QStringLiteral("progressive"));
    r.upscale = p.isSet(QStringLiteral("upscale"));
    r.mirrorTree = !p.isSet(QStringLiteral("flat"));
    r.keepDates = p.isSet(QStringLiteral("keep-dates"));
    r.lossless = p.isSet(QStringLiteral("lossless"));
    r.sharpen = p.isSet(QStringLiteral("sharpen"));
    o.notes = notesOnIgnoredOptions(p, r);
    return true;
}

bool applyPoolOptions(const QCommandLineParser &p, CliOptions &o, QString *error)
{
    if (p.isSet(QStringLiteral("workers")) &&
        !parseWorkers(p.value(QStringLiteral("workers")), &o.workers, &o.autoWorkers, error))
        return false;
    return parseRate(p.value(QStringLiteral("rate")), &o.ratePerSecond, error) &&
           parseIntIn(p.value(QStringLiteral("retries")), 0, 100, "--retries", &o.retries, error) &&
           parsePriority(p.value(QStringLiteral("priority")), &o.priority, error);
}

bool isReportName(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("json") || suffix == QLatin1String("csv");
}

bool applyReportOption(const QCommandLineParser &p, CliOptions &o, QString *error)
{
    if (!p.isSet(QStringLiteral("report")))
        return true;
    o.reportPath = p.value(QStringLiteral("report"));
    if (!isReportName(o.reportPath)) {
        *error = QStringLiteral("--report wants a file name ending in .json or .csv, not \"%1\"")
                     .arg(o.reportPath);
        return false;
    }
    o.reportIsCsv = QFileInfo(o.reportPath).suffix().toLower() == QLatin1String("csv");
    return true;
}

// --shard and --shards, after the output and the report are known: a sharded run writes a ZIP
// and a report of its own, so that N shards never overwrite one another's.
bool applyShardOptions(const QCommandLineParser &p, const QProcessEnvironment &environment,
                       CliOptions &o, QString *error)
{
    int shards = 0;
    if (p.isSet(QStringLiteral("shards")) &&
        !parseIntIn(p.value(QStringLiteral("shards")), 1, 1000000, "--shards", &shards, error))
        return false;
    if (!p.isSet(QStringLiteral("shard"))) {
        if (shards > 0) {
            *error = QStringLiteral("--shards N goes with --shard auto");
            return false;
        }
        return true;
    }
    const QString value = p.value(QStringLiteral("shard"));
    if (value.compare(QLatin1String("auto"), Qt::CaseInsensitive) == 0) {
        QString origin;
        if (!shardFromEnvironment(environment, shards, &o.shardIndex, &o.shardCount, &origin,
                                  error))
            return false;
        o.notes << QStringLiteral("shard %1 of %2, from the %3")
                       .arg(o.shardIndex + 1)
                       .arg(o.shardCount)
                       .arg(origin);
    } else if (shards > 0) {
        *error = QStringLiteral("--shards N goes with --shard auto; --shard K/N gives N already");
        return false;
    } else if (!parseShard(value, &o.shardIndex, &o.shardCount, error)) {
        return false;
    }
    if (o.shardCount == 1)
        return true;
    if (o.outputIsZip) {
        o.output = shardFileName(o.output, o.shardIndex, o.shardCount);
        o.notes << QStringLiteral("each shard writes an archive of its own: %1").arg(o.output);
    }
    if (!o.reportPath.isEmpty()) {
        o.reportPath = shardFileName(o.reportPath, o.shardIndex, o.shardCount);
        o.notes << QStringLiteral("each shard writes a report of its own: %1").arg(o.reportPath);
    }
    return true;
}

// --merge-reports REPORT... -o MERGED [--expect INPUT]... [--hidden]
bool applyMergeOptions(const QCommandLineParser &p, CliOptions &o, QString *error)
{
    o.mergeReports = true;
    o.inputs = p.positionalArguments();
    o.output = p.value(QStringLiteral("output"));
    o.expectedInputs = p.values(QStringLiteral("expect"));
    o.includeHidden = p.isSet(QStringLiteral("hidden"));
    o.quiet = p.isSet(QStringLiteral("quiet"));
    if (o.inputs.isEmpty()) {
        *error = QStringLiteral("--merge-reports wants the shards' reports as arguments");
        return false;
    }
    for (const QString &report : std::as_const(o.inputs)) {
        if (!isReportName(report)) {
            *error = QStringLiteral("--merge-reports reads .json and .csv reports, not \"%1\"")
                         .arg(report);
            return false;
        }
    }
    if (o.output.isEmpty() || !isReportName(o.output)) {
        *error = QStringLiteral("--merge-reports wants -o MERGED.json or -o MERGED.csv");
        return false;
    }
    const QString merged = QFileInfo(o.output).absoluteFilePath();
    for (const QString &report : std::as_const(o.inputs)) {
        if (QFileInfo(report).absoluteFilePath() == merged) {
            *error = QStringLiteral("-o %1 is one of the reports to merge; name another file")
                         .arg(o.output);
            return false;
        }
    }
    for (const char *option : {"shard", "shards", "report", "resume", "demo"}) {
        if (p.isSet(QLatin1String(option))) {
            *error =
                QStringLiteral("--%1 does not go with --merge-reports").arg(QLatin1String(option));
            return false;
        }
    }
    return true;
}

bool applyInputsAndOutput(const QCommandLineParser &p, CliOptions &o, QString *error)
{
    o.inputs = p.positionalArguments();
    o.output = p.value(QStringLiteral("output"));
    o.demo = p.isSet(QStringLiteral("demo"));
    o.resume = p.isSet(QStringLiteral("resume"));
    o.journal = !p.isSet(QStringLiteral("no-journal"));
    o.quiet = p.isSet(QStringLiteral("quiet"));
    o.includeHidden = p.isSet(QStringLiteral("hidden"));
    if (o.resume && !o.journal) {
        *error = QStringLiteral("--resume continues from the journal; leave out --no-journal");
        return false;
    }
    if (p.isSet(QStringLiteral("expect"))) {
        *error = QStringLiteral("--expect goes with --merge-reports");
        return false;
    }
    if (o.demo && !o.inputs.isEmpty()) {
        *error = QStringLiteral("--demo brings its own images; leave out the INPUTs");
        return false;
    }
    if (!o.demo && o.inputs.isEmpty()) {
        *error = QStringLiteral("no INPUT given (files, folders or .zip archives)");
        return false;
    }
    if (!o.demo && o.output.isEmpty()) {
        *error = QStringLiteral("no output given: add -o FOLDER or -o FILE.zip");
        return false;
    }
    o.outputIsZip = o.output.endsWith(QLatin1String(".zip"), Qt::CaseInsensitive);
    const QFileInfo out(o.output);
    if (!o.output.isEmpty() && !o.outputIsZip && out.exists() && !out.isDir()) {
        *error =
            QStringLiteral("output \"%1\" is a file; give a folder or a .zip path").arg(o.output);
        return false;
    }
    return true;
}

QString usage(const QString &why)
{
    return QStringLiteral("sluice-cli: %1\nTry 'sluice-cli --help' for more information.\n")
        .arg(why);
}

} // namespace

bool parseShard(const QString &text, int *index, int *count, QString *error)
{
    const QStringList parts = text.split(QLatin1Char('/'));
    bool okK = false, okN = false;
    const int k = parts.size() == 2 ? parts[0].toInt(&okK) : 0;
    const int n = parts.size() == 2 ? parts[1].toInt(&okN) : 0;
    if (!okK || !okN || n < 1 || n > 1000000 || k < 1 || k > n) {
        *error =
            QStringLiteral("--shard wants K/N with 1 <= K <= N, such as 1/4, not \"%1\"").arg(text);
        return false;
    }
    *index = k - 1;
    *count = n;
    return true;
}

bool parseWorkers(const QString &text, int *workers, bool *autoWorkers, QString *error)
{
    if (text.compare(QLatin1String("auto"), Qt::CaseInsensitive) == 0) {
        *autoWorkers = true;
        return true;
    }
    *autoWorkers = false;
    if (!parseIntIn(text, 1, 1024, "--workers", workers, error)) {
        *error += QStringLiteral(" (or auto)");
        return false;
    }
    return true;
}

bool shardFromEnvironment(const QProcessEnvironment &environment, int shards, int *index,
                          int *count, QString *origin, QString *error)
{
    // A whole number >= 0 from the environment, or `fallback` when the variable is not set.
    bool bad = false;
    QStringList seen;
    const auto number = [&](const char *name, qint64 fallback) {
        const QString key = QLatin1String(name);
        if (!environment.contains(key))
            return fallback;
        const QString text = environment.value(key);
        seen << QStringLiteral("%1=%2").arg(key, text);
        bool ok = false;
        const qint64 value = text.trimmed().toLongLong(&ok);
        if (!ok || value < 0)
            bad = true;
        return ok ? value : qint64(-1);
    };
    if (environment.contains(QStringLiteral("SLURM_ARRAY_TASK_ID"))) {
        const qint64 id = number("SLURM_ARRAY_TASK_ID", -1);
        const qint64 min = number("SLURM_ARRAY_TASK_MIN", -1);
        const qint64 tasks = number("SLURM_ARRAY_TASK_COUNT", -1);
        const qint64 step = number("SLURM_ARRAY_TASK_STEP", 1);
        const qint64 max = number("SLURM_ARRAY_TASK_MAX", -1);
        const QString vars = seen.join(QLatin1Char(' '));
        if (bad || id < 0 || min < 0 || tasks < 1 || step < 1) {
            *error = QStringLiteral("--shard auto: the Slurm job array's variables are missing or "
                                    "not numbers (%1); give --shard K/N")
                         .arg(vars);
            return false;
        }
        const qint64 offset = id - min;
        const bool range =
            offset >= 0 && offset % step == 0 && offset / step < tasks &&
            (max < 0 || ((max - min) % step == 0 && (max - min) / step + 1 == tasks));
        if (!range || tasks > 1000000) {
            *error = QStringLiteral("--shard auto: this Slurm job array is not a plain range of "
                                    "task IDs (%1), so the task's place in it is unknown; "
                                    "submit it as a range such as --array=0-%2, or give "
                                    "--shard K/N")
                         .arg(vars)
                         .arg(tasks - 1);
            return false;
        }
        if (shards > 0 && shards != tasks) {
            *error = QStringLiteral("--shards %1 disagrees with the Slurm job array's %2 tasks")
                         .arg(shards)
                         .arg(tasks);
            return false;
        }
        *index = int(offset / step);
        *count = int(tasks);
        *origin = QStringLiteral("Slurm job array (task ID %1)").arg(id);
        return true;
    }
    if (environment.contains(QStringLiteral("JOB_COMPLETION_INDEX"))) {
        const qint64 completion = number("JOB_COMPLETION_INDEX", -1);
        const qint64 total = shards > 0 ? shards : number("SLUICE_SHARD_COUNT", 0);
        const QString vars = seen.join(QLatin1Char(' '));
        if (bad || completion < 0) {
            *error = QStringLiteral("--shard auto: the Kubernetes variables are not numbers (%1); "
                                    "give --shard K/N")
                         .arg(vars);
            return false;
        }
        if (total < 1 || total > 1000000) {
            *error = QStringLiteral("--shard auto in a Kubernetes Indexed Job needs the number of "
                                    "shards (the Job's completions): --shards N, or the "
                                    "environment variable SLUICE_SHARD_COUNT=N");
            return false;
        }
        if (completion >= total) {
            *error = QStringLiteral("--shard auto: JOB_COMPLETION_INDEX=%1 is not below the %2 "
                                    "shards; the Job's completions and --shards or "
                                    "SLUICE_SHARD_COUNT disagree")
                         .arg(completion)
                         .arg(total);
            return false;
        }
        *index = int(completion);
        *count = int(total);
        *origin = QStringLiteral("Kubernetes Indexed Job (completion index %1)").arg(completion);
        return true;
    }
    *error = QStringLiteral("--shard auto found no scheduler: neither SLURM_ARRAY_TASK_ID (a "
                            "Slurm job array, sbatch --array=0-7) nor JOB_COMPLETION_INDEX (a "
                            "Kubernetes Indexed Job) is set%1; give --shard K/N")
                 .arg(environment.contains(QStringLiteral("SLURM_JOB_ID"))
                          ? QStringLiteral(" (this Slurm job is not a job array)")
                          : QString());
    return false;
}

QString shardFileName(const QString &path, int index, int count)
{
    const QFileInfo info(path);
    const int width = int(QString::number(count).size());
    const QString tag =
        QStringLiteral("-shard-%1-of-%2").arg(index + 1, width, 10, QLatin1Char('0')).arg(count);
    const QString suffix = info.suffix();
    QString name = info.fileName();
    name = suffix.isEmpty()
               ? name + tag
               : name.left(name.size() - suffix.size() - 1) + tag + QLatin1Char('.') + suffix;
    const QString folder = path.left(path.size() - info.fileName().size());
    return folder + name;
}

ParseOutcome parseCommandLine(const QStringList &arguments, const QProcessEnvironment &environment)
{
    QCommandLineParser parser;
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    addOptions(parser);

    ParseOutcome outcome;
    if (!parser.parse(arguments)) {
        outcome.kind = ParseOutcome::Kind::UsageError;
        outcome.message = usage(parser.errorText());
        return outcome;
    }
    // --help-all (which addHelpOption() adds) prints the same: Qt's own options mean nothing
    // to a terminal tool.
    const bool helpAll = parser.isSet(QStringLiteral("help-all"));
    if (parser.isSet(help) || helpAll || parser.isSet(version)) {
        outcome.kind = ParseOutcome::Kind::ExitOk;
        outcome.message =
            parser.isSet(help) || helpAll
                ? parser.helpText()
                : QStringLiteral("%1 %2\n").arg(QCoreApplication::applicationName(),
                                                QCoreApplication::applicationVersion());
        return outcome;
    }
    QString error;
    CliOptions &o = outcome.options;
    if (parser.isSet(QStringLiteral("merge-reports"))) {
        if (!applyMergeOptions(parser, o, &error)) {
            outcome.kind = ParseOutcome::Kind::UsageError;
            outcome.message = usage(error);
        }
        return outcome;
    }
    if (!applyInputsAndOutput(parser, o, &error) || !applyRecipeOptions(parser, o, &error) ||
        !applyPoolOptions(parser, o, &error) || !applyReportOption(parser, o, &error) ||
        !applyShardOptions(parser, environment, o, &error)) {
        outcome.kind = ParseOutcome::Kind::UsageError;
        outcome.message = usage(error);
    }
    return outcome;
}

} // namespace sluice::cli
