import { L, type Localized } from '../engine/index.js';

export const HELP: Localized = L(
  `learn-go-docker: containerize a Go (Gin) web service with Docker, the way it is done in production.
Each lesson is checked against your real Docker: it builds your image, runs it, probes it and says
what passed, what it measured and what to change.

Usage:
  npx learn-go-docker                 start (or continue) the tutorial in this folder
  npx learn-go-docker <command> [options]

Commands:
  init [--dir D] [--yes]              create the workspace (default ./go-docker-lab)
  list [--json]                       lessons with done/current/pending marks
  goto LESSON                         move to a lesson (id or number); your files are saved
  verify [LESSON] [--json] [--static-only]
                                      check a lesson (exit 0 all pass, 1 a check failed,
                                      2 usage or environment error)
  hint [LESSON]                       the next hint for what failed
  reset [LESSON] [--yes]              back to the lesson's start (changed files backed up)
  solution [LESSON] [--apply] [--yes] show the solution (after a pass or enough attempts);
                                      --apply writes it (a workshop catch-up; backs up first)
  lint [PATH] [--json]                the course's Dockerfile analysis on any Dockerfile
  doctor [--json]                     is this machine ready for the lessons? (and how to fix it)
  clean [--yes] [--json]              remove every container, image, volume, network and temp
                                      folder the tutorial made on this machine (and only those)
  dev-check [--lesson ID] [--chain] [--static-only] [--skip-cases|--cases-only] [--json]
                                      course authors: every start fails, every solution passes,
                                      and every proof case (lessons/*/cases) gets its verdict

Options:
  --dir D          the workspace folder (every command that touches a workspace)
  --lang en|zh-CN  language (default: from your locale; remembered by the tutorial)
  --manual         tutorial: verify only when you press v (no file watching)
  --help, -h       this help
  --version, -v    the version

Environment:
  NO_COLOR                 no colours
  LEARN_GO_DOCKER_DOCKER   the docker client to use (default: docker on PATH)
  DOCKER_HOST, contexts    honoured as the docker CLI does
`,
  `learn-go-docker：用生产环境的做法，把 Go（Gin）Web 服务容器化。
每一课都用你真实的 Docker 来检查：构建你的镜像、运行、探测，并告诉你哪些通过了、
测得了什么、该改什么。

用法：
  npx learn-go-docker                 在当前文件夹开始（或继续）教程
  npx learn-go-docker <命令> [选项]

命令：
  init [--dir D] [--yes]              创建工作区（默认 ./go-docker-lab）
  list [--json]                       课程列表，标出已完成/当前/未开始
  goto LESSON                         切换到某一课（id 或序号）；你的文件会被保存
  verify [LESSON] [--json] [--static-only]
                                      校验一课（退出码 0 全部通过，1 有检查失败，
                                      2 用法或环境错误）
  hint [LESSON]                       针对失败项的下一条提示
  reset [LESSON] [--yes]              恢复到本课初始状态（改过的文件先备份）
  solution [LESSON] [--apply] [--yes] 查看参考答案（通过后或失败足够次数后开放）；
                                      --apply 写入答案（工作坊赶进度用，会先备份）
  lint [PATH] [--json]                对任意 Dockerfile 做课程中的静态分析
  doctor [--json]                     这台机器能否完成课程？（以及如何修复）
  clean [--yes] [--json]              删除教程在这台机器上创建的所有容器、镜像、卷、网络和
                                      临时文件夹（只删这些）
  dev-check [--lesson ID] [--chain] [--static-only] [--skip-cases|--cases-only] [--json]
                                      课程作者：每课初始状态失败、参考答案通过，
                                      且每个证明用例（lessons/*/cases）得到应有的结果

选项：
  --dir D          工作区文件夹（所有涉及工作区的命令都支持）
  --lang en|zh-CN  语言（默认取自系统区域设置；教程会记住你的选择）
  --manual         教程：只在按 v 时校验（不监视文件）
  --help, -h       显示帮助
  --version, -v    显示版本

环境变量：
  NO_COLOR                 不使用颜色
  LEARN_GO_DOCKER_DOCKER   要使用的 docker 客户端（默认：PATH 中的 docker）
  DOCKER_HOST、context     与 docker CLI 的行为一致
`,
);
