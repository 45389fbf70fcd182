from ecslint.entry import main

main()
