import { L, type Localized } from '../engine/index.js';

export const HELP: Localized = L(
  `learn-go-docker: containerize a Go (Gin) web service with Docker, the way it is done in production.
Each lesson is checked against your real Docker: it builds your image, runs it, probes it and says
what passed, what it measured and what to change.

Usage:
  npx learn-go-docker                 start (or continue) the tutorial in this folder;
                                      without a terminal (piped), print the current lesson
  npx learn-go-docker <command> [options]

Commands:
  init [--dir D] [--yes]              create the workspace (default ./go-docker-lab)
  list [--json]                       lessons with done/current/pending marks
  goto LESSON [--catch-up] [--yes]    move to a lesson (id or number); your files are saved;
                                      --catch-up first writes the solutions of the lessons
                                      before it you have not passed (backed up first)
  verify [LESSON] [--json] [--static-only] [--swarm]
                                      check a lesson (exit 0 all pass, 1 a check failed,
                                      2 usage or environment error)
  hint [LESSON]                       the next hint for what failed
  reset [LESSON] [--yes]              back to the lesson's start (changed files backed up)
  solution [LESSON] [--apply] [--yes] show the solution (after a pass or enough attempts);
                                      --apply writes it (a workshop catch-up; backs up first)
  lint [PATH] [--json]                the course's Dockerfile analysis on any Dockerfile
  audit [DIR] [--dockerfile F] [--target S] [--port N] [--path P] [--json|--md]
                                      the course's production scorecard on your own Go
                                      service: builds, runs and measures it
  report [--name N] [--json|--md]     your summary of the course (lessons, attempts, time,
                                      image sizes, the capstone scorecard) to keep or hand in
  report --merge FILES... [--json|--md]
                                      instructors: many learners' reports in one table
  workshop serve [--port N] [--host H] [--dir D]
                                      instructors: the room's server (join code, live table
                                      of who is on which lesson and who is stuck) and a Go
                                      module proxy of the course's modules for learners' builds
  workshop export [--dir D] [--md|--csv|--json]
                                      instructors: the room from its log, after the day
  workshop allow LESSON|all [--dir D] instructors: open the solutions of lessons 1 to LESSON
                                      for learners in workshop mode (0: hide them all)
  join URL CODE [--name N]            learners: send each verify's result to the room
  ask                                 learners: send your Dockerfile to the instructor for help
  doctor [--json]                     is this machine ready for the lessons? (and how to fix it)
  prepare [--platform linux/amd64|linux/arm64] [--mirror M]
                                      before a workshop: pull the base images, warm the Go
                                      modules in the build cache, then doctor (exit 1: missing);
                                      --mirror: pull them from a registry mirror instead
  prepare --export FILE | --import FILE
                                      instructors: one archive of all that for a USB stick;
                                      learners: load it and check every image by its ID
  clean [--yes] [--json]              remove every container, image, volume, network and temp
                                      folder the tutorial made on this machine (and only those)
  dev-check [--lesson ID] [--chain] [--static-only] [--skip-cases|--cases-only] [--json]
                                      course authors: every start fails, every solution passes,
                                      and every proof case (lessons/*/cases) gets its verdict
  help [COMMAND]                      one command's help (or: COMMAND --help)

Options:
  --dir D          the workspace folder (every command that touches a workspace)
  --lang en|zh-CN  language (default: from your locale; remembered by the tutorial)
  --manual         tutorial: verify only when you press v (no file watching)
  --swarm          tutorial and verify: a Swarm lesson's check may turn swarm mode on, and off after
  --workshop       workshop mode, remembered in the workspace: once you joined a room, solutions
                   stay hidden until the instructor opens them; --no-workshop leaves it
  --help, -h       this help
  --version, -v    the version

Environment:
  NO_COLOR                 no colours
  LEARN_GO_DOCKER_DOCKER   the docker client to use (default: docker on PATH)
  DOCKER_HOST, contexts    honoured as the docker CLI does
  LEARN_GO_DOCKER_CACHE_DIR  the cache folder (default: $XDG_CACHE_HOME/learn-go-docker,
                           else ~/.cache/learn-go-docker); deleting it is always safe
  LEARN_GO_DOCKER_GOPROXY  GOPROXY of lesson builds (e.g. https://goproxy.cn,direct); wins over
                           the module proxy of a workshop room you joined
`,
  `learn-go-docker：用生产环境的做法，把 Go（Gin）Web 服务容器化。
每一课都用你真实的 Docker 来检查：构建你的镜像、运行、探测，并告诉你哪些通过了、
测得了什么、该改什么。

用法：
  npx learn-go-docker                 在当前文件夹开始（或继续）教程；
                                      没有终端（输出被管道接走）时打印当前课程
  npx learn-go-docker <命令> [选项]

命令：
  init [--dir D] [--yes]              创建工作区（默认 ./go-docker-lab）
  list [--json]                       课程列表，标出已完成/当前/未开始
  goto LESSON [--catch-up] [--yes]    切换到某一课（id 或序号）；你的文件会被保存；
                                      --catch-up 先写入它之前你还没通过的各课的参考答案
                                      （先备份）
  verify [LESSON] [--json] [--static-only] [--swarm]
                                      校验一课（退出码 0 全部通过，1 有检查失败，
                                      2 用法或环境错误）
  hint [LESSON]                       针对失败项的下一条提示
  reset [LESSON] [--yes]              恢复到本课初始状态（改过的文件先备份）
  solution [LESSON] [--apply] [--yes] 查看参考答案（通过后或失败足够次数后开放）；
                                      --apply 写入答案（工作坊赶进度用，会先备份）
  lint [PATH] [--json]                对任意 Dockerfile 做课程中的静态分析
  audit [DIR] [--dockerfile F] [--target S] [--port N] [--path P] [--json|--md]
                                      在你自己的 Go 服务上运行课程的生产评分卡：
                                      构建、运行并测量它
  report [--name N] [--json|--md]     你的课程总结（课程、尝试次数、用时、镜像大小、
                                      结业评分卡），可以保存或提交
  report --merge FILES... [--json|--md]
                                      讲师用：把多位学员的报告合并成一张表
  workshop serve [--port N] [--host H] [--dir D]
                                      讲师用：房间服务器（加入码，实时显示谁在哪一课、
                                      谁卡住了），并为学员的构建提供课程 Go 模块的代理
  workshop export [--dir D] [--md|--csv|--json]
                                      讲师用：课后根据日志导出房间
  workshop allow LESSON|all [--dir D] 讲师用：为工作坊模式下的学员开放第 1 课到第 LESSON 课的
                                      参考答案（0：全部隐藏）
  join URL CODE [--name N]            学员用：把每次校验的结果发送到房间
  ask                                 学员用：把你的 Dockerfile 发给讲师求助
  doctor [--json]                     这台机器能否完成课程？（以及如何修复）
  prepare [--platform linux/amd64|linux/arm64] [--mirror M]
                                      工作坊之前：拉取基础镜像，在构建缓存中预热 Go 模块，
                                      然后运行 doctor（退出码 1：有缺失）；
                                      --mirror：改从镜像站拉取
  prepare --export FILE | --import FILE
                                      讲师用：把这些打成一个归档放进 U 盘；
                                      学员用：加载归档并按 ID 逐个检查镜像
  clean [--yes] [--json]              删除教程在这台机器上创建的所有容器、镜像、卷、网络和
                                      临时文件夹（只删这些）
  dev-check [--lesson ID] [--chain] [--static-only] [--skip-cases|--cases-only] [--json]
                                      课程作者：每课初始状态失败、参考答案通过，
                                      且每个证明用例（lessons/*/cases）得到应有的结果
  help [命令]                         某个命令的帮助（也可以：命令 --help）

选项：
  --dir D          工作区文件夹（所有涉及工作区的命令都支持）
  --lang en|zh-CN  语言（默认取自系统区域设置；教程会记住你的选择）
  --manual         教程：只在按 v 时校验（不监视文件）
  --swarm          教程和 verify：Swarm 课程的检查可以开启 swarm 模式，检查后再关闭
  --workshop       工作坊模式，记在工作区里：加入房间后，讲师开放之前参考答案保持隐藏；
                   --no-workshop 退出
  --help, -h       显示帮助
  --version, -v    显示版本

环境变量：
  NO_COLOR                 不使用颜色
  LEARN_GO_DOCKER_DOCKER   要使用的 docker 客户端（默认：PATH 中的 docker）
  DOCKER_HOST、context     与 docker CLI 的行为一致
  LEARN_GO_DOCKER_CACHE_DIR  缓存文件夹（默认：$XDG_CACHE_HOME/learn-go-docker，
                           否则 ~/.cache/learn-go-docker）；随时可以删除
  LEARN_GO_DOCKER_GOPROXY  课程构建使用的 GOPROXY（例如 https://goproxy.cn,direct）；优先于
                           你加入的工作坊房间的模块代理
`,
);

/** One command's help: what it does, its options, an example (`<command> --help`, `help <command>`). */
const COMMAND_HELP: Readonly<Record<string, Localized>> = {
  start: L(
    `npx learn-go-docker [--dir D] [--manual] [--swarm] [--lang en|zh-CN]

Starts (or continues) the tutorial: the lesson on the left, your results on the right. Your files are
checked each time you save (with --manual, only when you press v). Without a workspace, offers to
create one (--yes accepts).`,
    `npx learn-go-docker [--dir D] [--manual] [--swarm] [--lang en|zh-CN]

开始（或继续）教程：左边是课程，右边是你的结果。每次保存文件都会校验（使用 --manual 时只在按 v 时校验）。
没有工作区时会提议创建一个（--yes 直接同意）。`,
  ),
  init: L(
    `npx learn-go-docker init [--dir D] [--yes]

Creates the workspace (default ./go-docker-lab): the sample app and lesson 1's files, where you edit.
--yes   do not ask
Example: npx learn-go-docker init --dir ~/go-docker-lab`,
    `npx learn-go-docker init [--dir D] [--yes]

创建工作区（默认 ./go-docker-lab）：示例应用和第 1 课的文件，你就在这里编辑。
--yes   不询问
示例：npx learn-go-docker init --dir ~/go-docker-lab`,
  ),
  list: L(
    `npx learn-go-docker list [--dir D] [--json]

The lessons with done/current/pending marks, and the disk the course's Docker images use.
--json  a JSON array, one object per lesson: number (what goto takes), id, part, chapter, title, status (for scripts)`,
    `npx learn-go-docker list [--dir D] [--json]

列出课程，标出已完成/当前/未开始，以及课程的 Docker 镜像占用的磁盘空间。
--json  输出 JSON 数组，每课一个对象：number（goto 接受的编号）、id、part、chapter、title、status（供脚本使用）`,
  ),
  goto: L(
    `npx learn-go-docker goto LESSON [--dir D] [--catch-up] [--yes]

Moves to a lesson, by number or id (goto 3, goto layers-and-cache). The files of the lesson you leave
are saved and come back when you return; nothing is overwritten without a backup.
--catch-up  joining a workshop late: first writes the solution of every lesson before LESSON that you
            have not passed, as solution --apply does (each file it replaces is backed up, and it
            says where), then moves to LESSON. Nothing is marked passed: a verify there passes it.
            In workshop mode, only when the instructor has opened those solutions.
--yes       do not ask (--catch-up asks first)
Example: npx learn-go-docker goto 5 --catch-up`,
    `npx learn-go-docker goto LESSON [--dir D] [--catch-up] [--yes]

切换到某一课，用序号或 id（goto 3、goto layers-and-cache）。离开的那一课的文件会被保存，回来时恢复；
没有备份就不会覆盖任何文件。
--catch-up  工作坊中迟到时使用：先像 solution --apply 那样，为 LESSON 之前你还没通过的每一课写入参考答案
            （被替换的文件都会先备份，并告诉你位置），然后切换到 LESSON。不会标记任何课程为已通过：
            到那一课校验一次即可通过。工作坊模式下，只有讲师开放了这些答案才可以使用。
--yes       不询问（--catch-up 会先询问）
示例：npx learn-go-docker goto 5 --catch-up`,
  ),
  verify: L(
    `npx learn-go-docker verify [LESSON] [--dir D] [--json] [--static-only] [--swarm]

Checks a lesson (the current one by default) with your real Docker: it reads your Dockerfile, builds
the image, runs it, probes it, and says what passed, what it measured and what to change.
--static-only  only the checks that read your files (instant, no Docker)
--swarm        a lesson that deploys a Swarm stack may turn swarm mode on for its check and off again
               after (without it, that check is not run while swarm mode is off)
--json         one JSON object with every verdict
Exit: 0 every check passed, 1 a check failed, 2 usage or environment error, 130 cancelled.`,
    `npx learn-go-docker verify [LESSON] [--dir D] [--json] [--static-only] [--swarm]

用你真实的 Docker 校验一课（默认当前课）：读取 Dockerfile、构建镜像、运行、探测，并说明哪些通过了、
测得了什么、该改什么。
--static-only  只运行读取文件的检查（立即完成，不用 Docker）
--swarm        部署 Swarm 栈的课程可以为它的检查开启 swarm 模式，检查后再关闭（不加这个选项时，
               swarm 模式关闭着，这项检查就不运行）
--json         输出一个包含所有结果的 JSON 对象
退出码：0 全部通过，1 有检查失败，2 用法或环境错误，130 已取消。`,
  ),
  hint: L(
    `npx learn-go-docker hint [LESSON] [--dir D]

The next hint for what failed in your last verify; run it again for a more specific one.`,
    `npx learn-go-docker hint [LESSON] [--dir D]

针对上次校验失败项的下一条提示；再运行一次会得到更具体的提示。`,
  ),
  reset: L(
    `npx learn-go-docker reset [LESSON] [--dir D] [--yes]

Puts a lesson's files back to its start. Every file it changes is copied to
.learn-go-docker/backups/ first, and it says where.
--yes   do not ask`,
    `npx learn-go-docker reset [LESSON] [--dir D] [--yes]

把一课的文件恢复到初始状态。它改动的每个文件都会先复制到 .learn-go-docker/backups/，并告诉你位置。
--yes   不询问`,
  ),
  solution: L(
    `npx learn-go-docker solution [LESSON] [--dir D] [--apply] [--yes]

Shows a lesson's solution, after a pass or enough attempts.
--apply  writes it into the workspace (a workshop catch-up), backing up what it replaces
--yes    do not ask
In workshop mode (--workshop, after join) both wait until the instructor opens the lesson's solution;
--no-workshop leaves workshop mode.`,
    `npx learn-go-docker solution [LESSON] [--dir D] [--apply] [--yes]

在通过或尝试足够次数后，显示一课的参考答案。
--apply  把答案写入工作区（工作坊赶进度用），被替换的文件会先备份
--yes    不询问
工作坊模式下（--workshop，且已 join），两者都要等讲师开放这一课的答案；--no-workshop 退出工作坊模式。`,
  ),
  lint: L(
    `npx learn-go-docker lint [PATH] [--json]

The course's Dockerfile analysis on any Dockerfile (default ./Dockerfile), with the same words as
verify. Exit 1 when it finds a problem.`,
    `npx learn-go-docker lint [PATH] [--json]

对任意 Dockerfile（默认 ./Dockerfile）做课程中的静态分析，用词与 verify 相同。发现问题时退出码为 1。`,
  ),
  audit: L(
    `npx learn-go-docker audit [DIR] [--dockerfile PATH] [--target STAGE] [--port N] [--path /health] [--json|--md]

The course's production scorecard on any Go repository (default: this folder). It builds the image
from DIR with your Docker, runs it with the lessons' limits on 127.0.0.1 only, and says for each item
pass, fail or unknown, what it measured, what to change and the lesson that teaches it: image size
(budget 30 MB, with a size chart), static binary, non-root by numeric uid, a health check that really
probes, exec form and the stop time under SIGTERM, no secrets in ENV/ARG, history or files, pinned
bases, dependencies cached apart from the source (the rebuild after a source change is measured),
.dockerignore keeping out .git and key files, OCI labels, and the app answering on its health path.

  --dockerfile PATH  the Dockerfile, relative to DIR, or its folder (default: DIR/Dockerfile, or the only one)
  --target STAGE     audit that stage of a multi-stage Dockerfile
  --port N           the app's port in the container (default: the Dockerfile's EXPOSE)
  --path /health     a path that answers 200 (default: the URL of the HEALTHCHECK, if it has one)
  --json             JSON, schema learn-go-docker/audit version 1 (its fields: the README)
  --md               Markdown to paste into a pull request
  --lang en|zh-CN    the language of the report

It never writes into DIR (builds use a copy) and removes every container and image it made. A
repository that is not Go, or whose build needs private modules or secrets, gets the static part.
Exit 0 when nothing failed, 1 when an item failed, 2 when audit could not run (or, for a Go
service, could not use Docker).

Example: npx learn-go-docker audit ~/src/my-service --path /healthz --md > scorecard.md`,
    `npx learn-go-docker audit [DIR] [--dockerfile PATH] [--target STAGE] [--port N] [--path /health] [--json|--md]

在任意 Go 仓库（默认当前文件夹）上运行课程的生产评分卡。它用你的 Docker 以 DIR 为上下文构建镜像，
按课程的资源限制运行（端口只在 127.0.0.1 上），并为每一项给出通过、失败或未知，测得的数值、
该改什么以及讲授它的课程：镜像大小（预算 30 MB，附大小图）、静态二进制、以数字 uid 的非 root 用户运行、
真正探测应用的健康检查、exec 形式与 SIGTERM 下的停止时间、ENV/ARG、历史和文件中没有机密、
固定版本的基础镜像、依赖与源码分开缓存（会测量改动源码后的重新构建）、.dockerignore 排除 .git
和密钥文件、OCI 标签，以及应用在健康检查路径上能响应。

  --dockerfile PATH  Dockerfile（或它所在的文件夹），相对于 DIR（默认：DIR/Dockerfile，或唯一的那个）
  --target STAGE     审计多阶段 Dockerfile 中的这个阶段
  --port N           应用在容器内的端口（默认：Dockerfile 的 EXPOSE）
  --path /health     一个返回 200 的路径（默认：HEALTHCHECK 中的 URL，如果有）
  --json             JSON，模式 learn-go-docker/audit 第 1 版（字段见 README）
  --md               可以粘贴到拉取请求里的 Markdown
  --lang en|zh-CN    报告使用的语言

它从不写入 DIR（构建使用副本），并删除它创建的所有容器和镜像。不是 Go 的仓库，或构建需要私有模块
或机密的仓库，会得到评分卡的静态部分。没有失败项时退出码为 0，有失败项时为 1，无法运行时（或 Go 服务无法使用 Docker 时）为 2。

示例：npx learn-go-docker audit ~/src/my-service --path /healthz --md > scorecard.md`,
  ),
  report: L(
    `npx learn-go-docker report [--dir D] [--name N] [--json|--md]
npx learn-go-docker report --merge FILES... [--json|--md]

Your summary of the course from your workspace's progress (read only): each lesson passed or not,
verifies and failures, minutes to pass, hints read, your first and last image sizes, and the
capstone's scorecard. --name puts your name on it (default: your account name). --json is schema
learn-go-docker/report version 1, to hand in; --md to paste.

--merge combines many learners' --json reports into one table (a workshop with no network: reports
on a USB stick). A file that is not a report is said and skipped, the rest merged (exit 1 then);
the same learner twice keeps the newest.

Example: npx learn-go-docker report --name "Ada L." --json > ada.json`,
    `npx learn-go-docker report [--dir D] [--name N] [--json|--md]
npx learn-go-docker report --merge FILES... [--json|--md]

根据工作区的进度（只读）生成你的课程总结：每一课是否通过、校验和失败次数、通过用时、看过的提示、
第一个和最后一个镜像的大小，以及结业评分卡。--name 写上你的名字（默认：你的账户名）。--json 为
learn-go-docker/report 第 1 版模式，用于提交；--md 用于粘贴。

--merge 把多位学员的 --json 报告合并成一张表（没有网络的工作坊：用 U 盘收集报告）。不是报告的文件
会被指出并跳过，其余照常合并（此时退出码为 1）；同一学员有多份时保留最新的一份。

示例：npx learn-go-docker report --name "Ada L." --json > ada.json`,
  ),
  workshop: L(
    `npx learn-go-docker workshop serve [--port N] [--host H] [--dir D]
npx learn-go-docker workshop export [--dir D] [--md|--csv|--json]
npx learn-go-docker workshop allow LESSON|all [--dir D]

serve starts the room's server on this laptop and prints its exact address, the join code and the
command learners type, also as a QR code. In a terminal it then shows the room live: one row per
learner with the lesson, attempts and minutes on it, STUCK after 3 failed verifies in a row or 15
minutes on one lesson, HELP when the learner ran ask, and the checks failing most. Keys: up/down
(or j/k) choose a learner, Enter opens their last Dockerfile sent with ask and their last verdict,
Esc goes back, c shows the QR code again, q or Ctrl-C stops the server. Not in a terminal (a pipe,
a log file) it prints the room as a table whenever it changes; Ctrl-C stops it.
  --port N   the port (default 8787)
  --host H   the address to listen on (default: this machine's first network address, else
             127.0.0.1; 0.0.0.0 for every network)
  --dir D    where the room is kept (default ./workshop-<date>): an append-only log, written to
             disk before each event is accepted. Start again with the same folder and the room,
             its code and every joined laptop carry on.

export prints the room from that folder, with no server: a table, --csv for a spreadsheet, --md for
notes (with each help request's Dockerfile and last verdict), --json.

allow opens solutions for learners who run in workshop mode (--workshop): lessons 1 to LESSON, or
all; 0 hides them all again. It asks the server running on that folder (the token is read from the
folder) and the room's log keeps it across a restart.

serve also serves the sample app's Go modules to the room (read-only, no code needed: public
modules only) at <address>/goproxy/, so learners' builds that download modules again need no
internet. At the first start it fills <dir>/goproxy/ with this laptop's go (go mod download, from
your own module cache first), else from prepare's module image; a later start reuses it. When
neither works, or the server listens on 127.0.0.1 (not reachable from other laptops' builds), it
says in one line that the room proxy is off, and the room works as before.

Example: npx learn-go-docker workshop serve --port 8787`,
    `npx learn-go-docker workshop serve [--port N] [--host H] [--dir D]
npx learn-go-docker workshop export [--dir D] [--md|--csv|--json]
npx learn-go-docker workshop allow LESSON|all [--dir D]

serve 在这台电脑上启动房间服务器，并打印确切的地址、加入码和学员要输入的命令（也以二维码显示）。在终端里，
它随后实时显示房间：每位学员一行，显示课程、尝试次数和在本课上的分钟数；连续 3 次校验失败或在一课上超过
15 分钟显示“卡住”，学员运行 ask 后显示“求助”，以及失败最多的检查。按键：上/下（或 j/k）选择学员，Enter
打开该学员用 ask 发来的最后一个 Dockerfile 和上次结果，Esc 返回，c 再次显示二维码，q 或 Ctrl-C 停止服务器。
不在终端里（管道、日志文件）时，房间每次变化都以表格打印；Ctrl-C 停止。
  --port N   端口（默认 8787）
  --host H   监听的地址（默认：这台机器的第一个网络地址，没有则为 127.0.0.1；0.0.0.0 表示所有网络）
  --dir D    房间记录保存的位置（默认 ./workshop-<日期>）：只追加的日志，每个事件写入磁盘后才被接受。
             用同一个文件夹再次启动，房间、加入码和已加入的电脑都会继续。

export 不需要服务器，直接从该文件夹打印房间：表格，--csv 用于电子表格，--md 用于笔记（含每个求助的
Dockerfile 和上次结果），--json。

allow 为以工作坊模式（--workshop）运行的学员开放参考答案：第 1 课到第 LESSON 课，或 all 表示全部；
0 重新全部隐藏。它询问在该文件夹上运行的服务器（令牌从文件夹中读取），房间日志会记住它，重启后依然有效。

serve 还在 <地址>/goproxy/ 向房间提供示例应用的 Go 模块（只读，不需要加入码：只有公开模块），
这样学员的构建再次下载模块时不需要互联网。第一次启动时，它用这台电脑的 go 填充 <dir>/goproxy/
（go mod download，先从你自己的模块缓存获取），没有 go 时从 prepare 的模块镜像复制；之后的启动直接复用。
两者都不行，或者服务器监听在 127.0.0.1 上（其他电脑的构建无法访问）时，它会用一行说明房间代理已关闭，
房间照常工作。

示例：npx learn-go-docker workshop serve --port 8787`,
  ),
  join: L(
    `npx learn-go-docker join URL CODE [--name N] [--dir D]

Joins the instructor's room with the address and code on their screen (the server is asked first).
From then on each verify sends your name, the lesson, the ids of the checks that passed and failed,
your attempt count and the time on the lesson; never your files. Off the network, events wait in
the workspace and go with a later verify, each counted once.
When the room serves the course's Go modules, your lesson builds fetch them from the room first,
then from your usual proxy (LEARN_GO_DOCKER_GOPROXY, when you set it, wins).
--name      the name the instructor sees (default: your account name)
--workshop  also turn on workshop mode: solutions wait until the instructor opens them

Example: npx learn-go-docker join http://192.168.1.20:8787 K7M4QX --name "Ada L."`,
    `npx learn-go-docker join URL CODE [--name N] [--dir D]

用讲师屏幕上的地址和加入码加入房间（会先询问服务器）。之后每次校验都会发送你的名字、课程、
通过和失败的检查 id、尝试次数以及在本课上花的时间；绝不包括你的文件。断网时事件保存在工作区里，
随之后的校验一起发送，每个只计一次。
房间提供课程的 Go 模块时，你的课程构建会先从房间获取，再使用你平常的代理（设置了 LEARN_GO_DOCKER_GOPROXY 时以它为准）。
--name      讲师看到的名字（默认：你的账户名）
--workshop  同时开启工作坊模式：参考答案要等讲师开放

示例：npx learn-go-docker join http://192.168.1.20:8787 K7M4QX --name "Ada L."`,
  ),
  ask: L(
    `npx learn-go-docker ask [--dir D]

Asks the instructor for help: sends your Dockerfile and your last verify's result to the room you
joined. The only time a file of yours is sent, and only when you run this.`,
    `npx learn-go-docker ask [--dir D]

向讲师求助：把你的 Dockerfile 和上次校验的结果发送到你加入的房间。只有运行这个命令时才会发送你的文件。`,
  ),
  prepare: L(
    `npx learn-go-docker prepare [--platform linux/amd64|linux/arm64] [--mirror M]... [--json]
npx learn-go-docker prepare --export FILE [--platform P] [--json]
npx learn-go-docker prepare --import FILE [--json]

Gets this machine ready to do every lesson with no registry (a workshop on poor Wi-Fi):
pulls each base image the lessons use that is not here yet (one at a time, with each image's
layers and sizes and an overall time left; images already here are not pulled), downloads the
sample app's Go modules into Docker's build cache, then runs doctor.
  --platform P   linux/amd64, or linux/arm64 for Apple silicon (default: your Docker's own)
  --mirror M     where Docker Hub and gcr.io do not answer (mainland China, a company network):
                 pull each missing image from a mirror, then give it its own name (docker tag),
                 so every Dockerfile stays as the lessons write it. Either a prefix for every
                 registry (--mirror m.daocloud.io pulls m.daocloud.io/docker.io/library/golang:…
                 and m.daocloud.io/gcr.io/distroless/…), or one registry replaced by another
                 (--mirror docker.io=docker.m.daocloud.io --mirror gcr.io=gcr.m.daocloud.io; a
                 path after the host is kept, for a company proxy project). Also read from
                 LEARN_GO_DOCKER_MIRROR (comma-separated) when no --mirror is given.

--export FILE writes one archive (a tar) of the base images as this machine has them and the Go
module download, with a manifest of their image IDs, to hand out on a USB stick or a local share.
Nothing is pulled: run prepare first. --import FILE loads it (docker load), checks that every
image of the manifest is here with the same ID, says which are missing or differ, and restores
the Go module cache into the build cache.
Exit: 0 ready, 1 something missing, 2 usage, environment or an unusable archive.

Example: npx learn-go-docker prepare --platform linux/arm64 --export workshop-arm64.tar`,
    `npx learn-go-docker prepare [--platform linux/amd64|linux/arm64] [--mirror M]... [--json]
npx learn-go-docker prepare --export FILE [--platform P] [--json]
npx learn-go-docker prepare --import FILE [--json]

让这台机器不依赖任何镜像仓库也能完成每一课（网络不好的工作坊）：逐个拉取课程用到、本机还没有的
基础镜像（显示每个镜像的层、大小和总体剩余时间；本机已有的镜像不会拉取），把示例应用的 Go 模块
下载到 Docker 的构建缓存，然后运行 doctor。
  --platform P   linux/amd64，Apple 芯片用 linux/arm64（默认：你的 Docker 自己的平台）
  --mirror M     Docker Hub 和 gcr.io 无法访问时（中国大陆、公司内网）：从镜像站拉取缺少的镜像，
                 再打上它原来的名字（docker tag），所以每个 Dockerfile 都保持课程里的写法。
                 可以是给所有仓库加的前缀（--mirror m.daocloud.io 会拉取
                 m.daocloud.io/docker.io/library/golang:… 和 m.daocloud.io/gcr.io/distroless/…），
                 也可以把某个仓库换成另一个（--mirror docker.io=docker.m.daocloud.io
                 --mirror gcr.io=gcr.m.daocloud.io；主机名后面的路径会保留，适用于公司代理项目）。
                 没有给出 --mirror 时也会读取 LEARN_GO_DOCKER_MIRROR（用逗号分隔）。

--export FILE 把本机的基础镜像和 Go 模块下载写成一个归档（tar），附带记录镜像 ID 的清单，可以用
U 盘或局域网共享分发。不会拉取任何镜像：请先运行 prepare。--import FILE 加载归档（docker load），
检查清单中的每个镜像都在本机且 ID 相同，指出缺少或不一致的镜像，并把 Go 模块缓存恢复到构建缓存。
退出码：0 已就绪，1 有缺失，2 用法、环境错误或归档不可用。

示例：npx learn-go-docker prepare --platform linux/arm64 --export workshop-arm64.tar`,
  ),
  doctor: L(
    `npx learn-go-docker doctor [--dir D] [--json]

Is this machine ready for the lessons? Checks the Docker client and daemon, permissions, BuildKit,
compose, disk, base images and the network, and says how to fix what is missing. Exit 1 when
something blocks the lessons.`,
    `npx learn-go-docker doctor [--dir D] [--json]

这台机器能否完成课程？检查 Docker 客户端和守护进程、权限、BuildKit、compose、磁盘、基础镜像和网络，
并说明如何修复缺少的部分。有阻碍课程的问题时退出码为 1。`,
  ),
  clean: L(
    `npx learn-go-docker clean [--yes] [--json]

Removes every Swarm stack, container, image, volume, network and temp folder the tutorial made on
this machine (found by label and folder name: only those), lists them and the space freed. A swarm
mode the tutorial turned on (verify --swarm) is turned off once nothing runs on it. Asks first on a
terminal; --yes does not ask.`,
    `npx learn-go-docker clean [--yes] [--json]

删除教程在这台机器上创建的所有 Swarm 栈、容器、镜像、卷、网络和临时文件夹（按标签和文件夹名查找：
只删这些），列出它们和释放的空间。教程开启的 swarm 模式（verify --swarm）在上面没有任何服务运行后会被关闭。
在终端里会先询问；--yes 不询问。`,
  ),
  'dev-check': L(
    `npx learn-go-docker dev-check [--lesson ID]... [--chain] [--static-only] [--skip-cases|--cases-only] [--json]

For course authors: every lesson's start fails with its declared checks, its solution passes, and
every proof case (lessons/*/cases) gets its expected verdict, on your real Docker. The proof cases
live in the course's repository; an installed package checks its lessons only.`,
    `npx learn-go-docker dev-check [--lesson ID]... [--chain] [--static-only] [--skip-cases|--cases-only] [--json]

课程作者用：用你真实的 Docker 确认每课初始状态按声明失败、参考答案通过，
且每个证明用例（lessons/*/cases）得到应有的结果。证明用例只在课程仓库中；已安装的包只检查课程本身。`,
  ),
};

/** A command's help, or the whole help for an unknown name. */
export const helpFor = (command: string | undefined): Localized => {
  const one = command === undefined ? undefined : COMMAND_HELP[command];
  return one ? L(`${one.en}\n\nAll commands: npx learn-go-docker --help\n`, `${one['zh-CN']}\n\n所有命令：npx learn-go-docker --help\n`) : HELP;
};
