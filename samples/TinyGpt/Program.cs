using TinyGpt.Cli;

// The main job: with no arguments, the whole compression pipeline with embedded defaults (see README).
return CliApp.Run(args);
